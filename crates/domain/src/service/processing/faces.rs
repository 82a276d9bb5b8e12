//! What the face steps of processing share: the images they judge, whether their credentials
//! are usable, the evidence they leave (frames seen, the person's template, a facemap), and the
//! same face found on other accounts.

use std::collections::{HashMap, HashSet};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::Verifyd;
use super::results::refs;
use crate::analysers::{CaptureFinding, FaceAnalyser, LivenessFinding, PartImage};
use crate::blob_store::keys;
use crate::error::DomainError;
use crate::facemap::{self, FaceTemplate};
use crate::model::Label;
use crate::model::{
    Capability, CapabilityResult, Category, Classifier, DecisionType, ExecutionCredential,
    MediaType, Part, WorkflowExecution,
};
use crate::repository::FaceEvidence;

/// What the face steps have to work with.
pub(super) struct FaceStep<'a> {
    /// Where challenges, earlier frames and facemaps are looked up and new evidence kept; none
    /// for `verifyd inspect`, which compares with nothing earlier and keeps nothing.
    pub stores: Option<&'a Verifyd>,
    pub analyser: Option<&'a dyn FaceAnalyser>,
    pub execution: &'a WorkflowExecution,
    pub parts: &'a [Part],
    pub usable: &'a HashSet<Uuid>,
    pub loaded: &'a HashMap<Uuid, Vec<PartImage>>,
}

pub(super) struct Subjects<'c> {
    pub all: Vec<&'c ExecutionCredential>,
    pub capture: Option<&'c ExecutionCredential>,
    pub selfie: Option<&'c ExecutionCredential>,
    pub ready: bool,
}

/// What the face step leaves behind besides its capability results.
#[derive(Default)]
pub(super) struct FaceOutcome {
    pub fingerprints: Vec<u64>,
    pub template: Option<FaceTemplate>,
}

pub(super) fn result(
    capability: Capability,
    subjects: &[&ExecutionCredential],
    decision: DecisionType,
    label: Label,
) -> CapabilityResult {
    CapabilityResult::new(capability, refs(subjects), decision, label)
}

pub(super) fn liveness_result(
    subjects: &[&ExecutionCredential],
    finding: &LivenessFinding,
) -> CapabilityResult {
    let mut found = result(
        Capability::Liveness,
        subjects,
        finding.decision,
        finding.label,
    );
    if let Some(measures) = finding.presentation {
        found.data = serde_json::json!({ "presentation": measures });
    }
    found
}

impl FaceStep<'_> {
    pub(super) fn images(&self, credential: &ExecutionCredential) -> &[PartImage] {
        self.loaded
            .get(&credential.credential.id)
            .map_or(&[], Vec::as_slice)
    }

    /// The image a credential shows its person on: the ID's front, the selfie, or the first
    /// frame of a capture.
    pub(super) fn face_image(&self, credential: &ExecutionCredential) -> Option<PartImage> {
        let images = self.images(credential);
        let wanted = |classifier: Classifier| match credential.credential.category {
            Category::Id => classifier == Classifier::Front,
            Category::Selfie => classifier == Classifier::Face,
            Category::Facemap => classifier == Classifier::Liveness(1),
            Category::Document => false,
        };
        images
            .iter()
            .find(|image| wanted(image.classifier))
            .cloned()
    }

    /// The frames of a capture credential, in order.
    pub(super) fn frames(&self, credential: &ExecutionCredential) -> Vec<PartImage> {
        let mut frames: Vec<(u16, PartImage)> = self
            .images(credential)
            .iter()
            .filter_map(|image| match image.classifier {
                Classifier::Liveness(n) => Some((n, image.clone())),
                _ => None,
            })
            .collect();
        frames.sort_by_key(|(n, _)| *n);
        frames.into_iter().map(|(_, image)| image).collect()
    }

    pub(super) fn frames_uploaded_before(&self, credential: Uuid, moment: DateTime<Utc>) -> bool {
        self.parts.iter().any(|part| {
            part.credential_id == credential
                && matches!(part.classifier, Classifier::Liveness(_))
                && part.created_at < moment
        })
    }

    pub(super) fn ready(&self, subjects: &[&ExecutionCredential]) -> bool {
        !subjects.is_empty()
            && subjects
                .iter()
                .all(|c| self.usable.contains(&c.credential.id))
    }

    pub(super) async fn template(&self, image: PartImage) -> Result<Option<FaceTemplate>, String> {
        match self.analyser {
            Some(analyser) => analyser.template(image).await.map_err(|e| e.to_string()),
            None => Err("no face analyser".to_owned()),
        }
    }

    pub(super) fn threshold(&self) -> f32 {
        self.analyser.map_or(f32::INFINITY, |a| a.match_threshold())
    }

    /// Judges a capture sequence of `credential` against its challenge, recognising replays.
    pub(super) async fn capture(
        &self,
        analyser: &dyn FaceAnalyser,
        credential: &ExecutionCredential,
        outcome: &mut FaceOutcome,
    ) -> Result<Result<CaptureFinding, String>, DomainError> {
        let undetermined = |reason: &str| LivenessFinding {
            decision: DecisionType::Rejected,
            label: Label::LivenessUndetermined,
            reason: reason.to_owned(),
            presentation: None,
        };
        let Some(verifyd) = self.stores else {
            return Ok(Err(
                "a capture is judged against its challenge, which only the server keeps".to_owned(),
            ));
        };
        let id = credential.credential.id;
        let Some(challenge) = verifyd.repository.liveness_challenge(id).await? else {
            return Ok(Ok(CaptureFinding {
                liveness: undetermined("no challenge was issued for this capture"),
                template: None,
                fingerprints: Vec::new(),
            }));
        };
        if self.frames_uploaded_before(id, challenge.issued_at) {
            return Ok(Ok(CaptureFinding {
                liveness: undetermined("frames were uploaded before the challenge was issued"),
                template: None,
                fingerprints: Vec::new(),
            }));
        }
        let mut finding = match analyser
            .capture_liveness(challenge.turns.clone(), self.frames(credential))
            .await
        {
            Ok(finding) => finding,
            Err(error) => return Ok(Err(error.to_string())),
        };
        let earlier = verifyd
            .repository
            .liveness_fingerprints(self.execution.tenant_id, self.execution.id)
            .await?;
        let seen = finding
            .fingerprints
            .iter()
            .filter(|fingerprint| earlier.contains(fingerprint))
            .count();
        outcome.fingerprints.extend(&finding.fingerprints);
        if seen > 0 {
            finding.liveness = LivenessFinding {
                decision: DecisionType::Rejected,
                label: Label::Manipulated,
                reason: format!(
                    "{seen} of {} frames were captured for another session",
                    finding.fingerprints.len()
                ),
                presentation: None,
            };
            finding.template = None;
        }
        Ok(Ok(finding))
    }

    /// Seals `template` into a facemap and stores it as the FACEMAP part of `credential`; the
    /// path that downloads it. None where nothing is kept (`verifyd inspect`).
    pub(super) async fn keep_facemap(
        &self,
        credential: &ExecutionCredential,
        template: &FaceTemplate,
    ) -> Result<Option<String>, DomainError> {
        let Some(verifyd) = self.stores else {
            return Ok(None);
        };
        let key = verifyd.facemap_key().await?;
        let mut nonce = [0u8; 12];
        verifyd.random.fill(&mut nonce);
        let now = verifyd.clock.now();
        let tenant = self.execution.tenant_id;
        let sealed = facemap::seal(&key, nonce, tenant, template, now)
            .map_err(|error| DomainError::Internal(error.to_string()))?;
        let id = credential.credential.id;
        let blob_key = keys::part(
            tenant,
            self.execution.account_id,
            id,
            &Classifier::Facemap.to_string(),
            crate::random::new_id(verifyd.random.as_ref()),
        );
        let part = Part {
            credential_id: id,
            classifier: Classifier::Facemap,
            blob_key: blob_key.clone(),
            media_type: MediaType::OctetStream,
            size_bytes: sealed.len() as u64,
            width: None,
            height: None,
            created_at: now,
        };
        verifyd.blobs.put(&blob_key, Bytes::from(sealed)).await?;
        verifyd.repository.add_generated_part(&part).await?;
        Ok(Some(super::super::faces::facemap_path(
            self.execution.account_id,
            id,
        )))
    }

    /// Who a liveness or authentication is about: every FACEMAP and SELFIE credential; what it
    /// judges: the first capture with frames, else the selfie; whether those are usable.
    pub(super) fn subjects<'c>(
        &self,
        facemaps: &[&'c ExecutionCredential],
        selfies: &[&'c ExecutionCredential],
    ) -> Subjects<'c> {
        let mut all: Vec<&ExecutionCredential> = facemaps.to_vec();
        all.extend(selfies);
        let capture = facemaps
            .iter()
            .copied()
            .find(|credential| !self.frames(credential).is_empty());
        let selfie = selfies.first().copied();
        let judged: Vec<&ExecutionCredential> = capture.into_iter().chain(selfie).collect();
        Subjects {
            all,
            capture,
            selfie,
            ready: self.ready(&judged),
        }
    }

    /// Records the execution's face evidence (frames seen, the person's template), and finds
    /// the same face on the tenant's other accounts: the accounts, for the retrieval to show.
    pub async fn record(&self, outcome: FaceOutcome) -> Result<Vec<Uuid>, DomainError> {
        let Some(verifyd) = self.stores else {
            return Ok(Vec::new());
        };
        if outcome.fingerprints.is_empty() && outcome.template.is_none() {
            return Ok(Vec::new());
        }
        let repository = &verifyd.repository;
        let mut duplicates = Vec::new();
        if let Some(template) = &outcome.template {
            for stored in repository
                .face_templates(self.execution.tenant_id, self.execution.account_id)
                .await?
            {
                let same = stored
                    .template
                    .cosine(template)
                    .is_some_and(|cosine| cosine >= self.threshold());
                if same && !duplicates.contains(&stored.account_id) {
                    duplicates.push(stored.account_id);
                }
            }
        }
        let evidence = FaceEvidence {
            tenant_id: self.execution.tenant_id,
            account_id: self.execution.account_id,
            execution_id: self.execution.id,
            frame_fingerprints: outcome.fingerprints,
            template: outcome.template,
            recorded_at: verifyd.clock.now(),
        };
        repository.record_face_evidence(&evidence).await?;
        Ok(duplicates)
    }
}

/// Marks the face capabilities with the other accounts the same face was verified on: a fraud
/// signal (one person, several identities) that the decision alone would hide.
pub(super) fn mark_duplicates(results: &mut [CapabilityResult], accounts: &[Uuid]) {
    if accounts.is_empty() {
        return;
    }
    let listed: Vec<serde_json::Value> = accounts
        .iter()
        .map(|account| serde_json::Value::String(account.to_string()))
        .collect();
    for result in results.iter_mut().filter(|r| {
        matches!(
            r.capability,
            Capability::Liveness | Capability::Similarity | Capability::Authentication
        ) && r.decision != DecisionType::NotExecuted
    }) {
        if let Some(data) = result.data.as_object_mut() {
            data.insert(
                "sameFaceOnOtherAccounts".to_owned(),
                serde_json::Value::Array(listed.clone()),
            );
        }
    }
}

/// Are the people on two images one? MATCH, NO_MATCH, or NOT_POSSIBLE without a usable face.
/// The person on the second image is the one kept when they match (the selfie, after the ID).
pub(super) async fn compare_faces(
    analyser: &dyn FaceAnalyser,
    first: PartImage,
    second: PartImage,
) -> Result<(DecisionType, Label, Option<FaceTemplate>), String> {
    let a = analyser.template(first).await.map_err(|e| e.to_string())?;
    let b = analyser.template(second).await.map_err(|e| e.to_string())?;
    let cosine = match (&a, &b) {
        (Some(a), Some(b)) => a.cosine(b),
        _ => None,
    };
    Ok(match cosine {
        Some(cosine) if cosine >= analyser.match_threshold() => {
            (DecisionType::Passed, Label::Match, b)
        }
        Some(_) => (DecisionType::Rejected, Label::NoMatch, None),
        None => (DecisionType::Warning, Label::NotPossible, None),
    })
}

pub(super) fn similarity_result(
    pair: &[&ExecutionCredential],
    decision: DecisionType,
    label: Label,
) -> CapabilityResult {
    let mut found = result(Capability::Similarity, pair, decision, label);
    found.data = serde_json::json!({ "similarity": label });
    found
}
