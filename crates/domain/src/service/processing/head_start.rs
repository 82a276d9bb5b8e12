//! The face analyses that do not wait for the document's reading. Reading the ID and finding
//! the faces are each most of a workflow's time, and neither needs the other's answer until
//! the decisions are made; so the faces of an ID's front and of a selfie are analysed beside
//! the document chain (on another core, through the analyser's own worker pool), and the face
//! step is then handed these findings instead of asking for them again. Whether an ID counts
//! as usable for the faces is still decided after its reading, exactly as before: an analysis
//! done ahead for an ID that turns out unusable is simply not used.

use std::collections::HashMap;

use async_trait::async_trait;
use bytes::Bytes;
use uuid::Uuid;

use super::plan::{Plan, Step};
use crate::analysers::{AnalysisError, CaptureFinding, FaceAnalyser, LivenessFinding, PartImage};
use crate::facemap::FaceTemplate;
use crate::model::{Classifier, ExecutionCredential};

/// What to analyse ahead: the images whose template similarity will ask for, the selfies whose
/// passive liveness will be judged.
#[derive(Default)]
pub(super) struct Ahead {
    pub templates: Vec<PartImage>,
    pub selfie_liveness: Vec<PartImage>,
}

/// A face analyser that answers from the findings made ahead, and asks the real one for
/// anything else.
pub(super) struct HeadStart<'a> {
    analyser: &'a dyn FaceAnalyser,
    templates: Vec<(Bytes, Result<Option<FaceTemplate>, AnalysisError>)>,
    selfie_liveness: Vec<(Bytes, Result<LivenessFinding, AnalysisError>)>,
}

impl<'a> HeadStart<'a> {
    /// Runs the analyses of `ahead`, one after another: they overlap with the document chain,
    /// not with each other, so that the face work holds one core at a time.
    pub async fn run(analyser: &'a dyn FaceAnalyser, ahead: Ahead) -> Self {
        let mut templates = Vec::with_capacity(ahead.templates.len());
        for image in ahead.templates {
            let bytes = image.bytes.clone();
            templates.push((bytes, analyser.template(image).await));
        }
        let mut selfie_liveness = Vec::with_capacity(ahead.selfie_liveness.len());
        for image in ahead.selfie_liveness {
            let bytes = image.bytes.clone();
            selfie_liveness.push((bytes, analyser.selfie_liveness(image).await));
        }
        Self {
            analyser,
            templates,
            selfie_liveness,
        }
    }
}

fn found<T: Clone>(made: &[(Bytes, T)], image: &PartImage) -> Option<T> {
    made.iter()
        .find(|(bytes, _)| *bytes == image.bytes)
        .map(|(_, finding)| finding.clone())
}

#[async_trait]
impl FaceAnalyser for HeadStart<'_> {
    fn match_threshold(&self) -> f32 {
        self.analyser.match_threshold()
    }

    async fn template(&self, image: PartImage) -> Result<Option<FaceTemplate>, AnalysisError> {
        match found(&self.templates, &image) {
            Some(finding) => finding,
            None => self.analyser.template(image).await,
        }
    }

    async fn selfie_liveness(&self, selfie: PartImage) -> Result<LivenessFinding, AnalysisError> {
        match found(&self.selfie_liveness, &selfie) {
            Some(finding) => finding,
            None => self.analyser.selfie_liveness(selfie).await,
        }
    }

    async fn capture_liveness(
        &self,
        challenge: Vec<String>,
        frames: Vec<PartImage>,
    ) -> Result<CaptureFinding, AnalysisError> {
        self.analyser.capture_liveness(challenge, frames).await
    }
}

/// The face analyses similarity and a selfie's liveness will ask for, on images already
/// loaded: an ID's front, a selfie (when no capture sequence is judged instead).
pub(super) fn face_work_ahead(
    plan: &Plan,
    ids: &[&ExecutionCredential],
    selfies: &[&ExecutionCredential],
    facemaps: &[&ExecutionCredential],
    loaded_images: &HashMap<Uuid, Vec<PartImage>>,
) -> Ahead {
    let image = |credential: &ExecutionCredential, classifier: Classifier| {
        loaded_images
            .get(&credential.credential.id)
            .and_then(|images| images.iter().find(|image| image.classifier == classifier))
            .cloned()
    };
    let mut ahead = Ahead::default();
    if plan.runs(Step::Similarity) {
        ahead.templates.extend(
            ids.iter()
                .filter_map(|id| image(id, Classifier::Front))
                .chain(selfies.iter().filter_map(|s| image(s, Classifier::Face))),
        );
    }
    let captured = facemaps.iter().any(|facemap| {
        loaded_images
            .get(&facemap.credential.id)
            .is_some_and(|images| {
                images
                    .iter()
                    .any(|image| matches!(image.classifier, Classifier::Liveness(_)))
            })
    });
    if plan.runs(Step::Liveness) && !captured {
        ahead.selfie_liveness.extend(
            selfies
                .first()
                .and_then(|selfie| image(selfie, Classifier::Face)),
        );
    }
    ahead
}
