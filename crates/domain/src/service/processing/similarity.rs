//! Similarity: are the people on two images one (the ID's portrait and the selfie; workflow
//! 5 with the ID already on file, 20 any two images)?

use super::faces::{compare_faces, similarity_result, FaceOutcome, FaceStep};
use super::results::{not_run, refs};
use crate::analysers::PartImage;
use crate::model::{Capability, CapabilityResult, ExecutionCredential};

impl FaceStep<'_> {
    /// Similarity of the first two of `pair` (ID and selfie, or two IDs, or two selfies).
    pub async fn similarity(
        &self,
        pair: &[&ExecutionCredential],
        outcome: &mut FaceOutcome,
    ) -> CapabilityResult {
        let ready = pair.len() >= 2 && self.ready(pair);
        if !ready || self.analyser.is_none() {
            return not_run(Capability::Similarity, refs(pair), ready);
        }
        let mut images = Vec::with_capacity(2);
        for credential in pair.iter().take(2) {
            match self.face_image(credential) {
                Some(image) => images.push(image),
                None => return not_run(Capability::Similarity, refs(pair), true),
            }
        }
        let [first, second]: [PartImage; 2] = match images.try_into() {
            Ok(both) => both,
            Err(_) => return not_run(Capability::Similarity, refs(pair), true),
        };
        let Some(analyser) = self.analyser else {
            return not_run(Capability::Similarity, refs(pair), true);
        };
        match compare_faces(analyser, first, second).await {
            Ok((decision, label, person)) => {
                if outcome.template.is_none() {
                    outcome.template = person;
                }
                similarity_result(pair, decision, label)
            }
            Err(error) => {
                tracing::warn!(%error, "face analysis failed");
                not_run(Capability::Similarity, refs(pair), true)
            }
        }
    }
}
