//! The face capabilities of processing. Similarity compares the ID's portrait with the selfie
//! (workflow 5: with the ID already on file; 20: any two images). Liveness judges a capture
//! sequence against the challenge issued for its credential, or a single selfie; a passed
//! sequence leaves a sealed facemap on its credential. Authentication compares a new capture
//! with a facemap: the account's (workflow 9) or one the customer uploads (16).

use std::collections::{HashMap, HashSet};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use uuid::Uuid;
use verifyd_types::ErrorCode;

use super::results::{not_run, refs};
use super::server_secrets::ServerSecret;
use super::Verifyd;
use crate::analysers::{CaptureFinding, FaceAnalyser, LivenessFinding, PartImage};
use crate::blob_store::keys;
use crate::error::DomainError;
use crate::facemap::{self, FaceTemplate};
use crate::model::{
    Capability, CapabilityResult, Category, Classifier, DecisionType, ExecutionCredential,
    ExecutionStatus, MediaType, Part, WorkflowExecution,
};
use crate::repository::{FaceEvidence, LivenessChallenge};

/// Turns a capture challenge asks for.
pub const CHALLENGE_TURNS: usize = 3;
/// What the face step has to work with.
pub(super) struct FaceStep<'a> {
    pub verifyd: &'a Verifyd,
    pub analyser: Option<&'a dyn FaceAnalyser>,
    pub execution: &'a WorkflowExecution,
    pub parts: &'a [Part],
    pub usable: &'a HashSet<Uuid>,
    pub loaded: &'a HashMap<Uuid, Vec<PartImage>>,
}

struct Subjects<'c> {
    all: Vec<&'c ExecutionCredential>,
    capture: Option<&'c ExecutionCredential>,
    selfie: Option<&'c ExecutionCredential>,
    ready: bool,
}

/// What the face step leaves behind besides its capability results.
#[derive(Default)]
pub(super) struct FaceOutcome {
    pub fingerprints: Vec<u64>,
    pub template: Option<FaceTemplate>,
}

fn result(
    capability: Capability,
    subjects: &[&ExecutionCredential],
    decision: DecisionType,
    label: &str,
) -> CapabilityResult {
    CapabilityResult::new(capability, refs(subjects), decision, label)
}

pub(super) fn liveness_result(
    subjects: &[&ExecutionCredential],
    finding: &LivenessFinding,
) -> CapabilityResult {
    result(
        Capability::Liveness,
        subjects,
        finding.decision,
        &finding.label,
    )
}

impl Verifyd {
    /// The key facemaps are sealed with: a server secret, made on first use.
    pub(super) async fn facemap_key(&self) -> Result<[u8; 32], DomainError> {
        if let Some(key) = self.facemap_sealing_key.get() {
            return Ok(*key);
        }
        let key = self
            .sealed_server_secret(ServerSecret::FacemapSealing)
            .await?;
        // Every process opens the same stored key, so a race here sets the same value.
        Ok(*self.facemap_sealing_key.get_or_init(|| key))
    }

    /// Opens a facemap for `tenant`: the template, or why it is refused.
    pub async fn open_facemap(
        &self,
        tenant: Uuid,
        bytes: &[u8],
    ) -> Result<Result<FaceTemplate, facemap::FacemapError>, DomainError> {
        let key = self.facemap_key().await?;
        Ok(facemap::open(&key, tenant, bytes))
    }
}

impl Verifyd {
    /// The challenge for the capture sequence of a FACEMAP credential: the turns the person
    /// must make, in order. Issued once per credential (asking again gives the same turns);
    /// frames uploaded before it do not count.
    pub async fn issue_liveness_challenge(
        &self,
        acquirer: &super::Acquirer,
        account: Uuid,
        execution: Uuid,
        credential: Uuid,
    ) -> Result<LivenessChallenge, DomainError> {
        let now = self.clock.now();
        let (execution, target) = self
            .acquirable(acquirer, account, execution, credential, now)
            .await?;
        if target.credential.category != Category::Facemap {
            return Err(DomainError::Invalid {
                code: ErrorCode::NotACapture,
                message: "liveness challenges are issued for FACEMAP credentials".to_owned(),
            });
        }
        // One challenge per credential: asking again gives the same turns, so a client cannot
        // draw until the turns fit a recording it holds.
        if let Some(issued) = self.repository.liveness_challenge(credential).await? {
            if issued.tenant_id != execution.tenant_id {
                return Err(DomainError::NotFound(crate::error::Resource::Credential));
            }
            return Ok(issued);
        }
        let mut bits = [0u8; CHALLENGE_TURNS];
        self.random.fill(&mut bits);
        let challenge = LivenessChallenge {
            tenant_id: execution.tenant_id,
            credential_id: credential,
            turns: bits
                .iter()
                .map(|bit| {
                    if bit & 1 == 0 {
                        "TURN_LEFT"
                    } else {
                        "TURN_RIGHT"
                    }
                    .to_owned()
                })
                .collect(),
            issued_at: now,
        };
        self.repository.put_liveness_challenge(&challenge).await?;
        Ok(challenge)
    }
}

impl FaceStep<'_> {
    fn images(&self, credential: &ExecutionCredential) -> &[PartImage] {
        self.loaded
            .get(&credential.credential.id)
            .map_or(&[], Vec::as_slice)
    }

    /// The image a credential shows its person on: the ID's front, the selfie, or the first
    /// frame of a capture.
    fn face_image(&self, credential: &ExecutionCredential) -> Option<PartImage> {
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
    fn frames(&self, credential: &ExecutionCredential) -> Vec<PartImage> {
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

    fn frames_uploaded_before(&self, credential: Uuid, moment: DateTime<Utc>) -> bool {
        self.parts.iter().any(|part| {
            part.credential_id == credential
                && matches!(part.classifier, Classifier::Liveness(_))
                && part.created_at < moment
        })
    }

    fn ready(&self, subjects: &[&ExecutionCredential]) -> bool {
        !subjects.is_empty()
            && subjects
                .iter()
                .all(|c| self.usable.contains(&c.credential.id))
    }

    async fn template(&self, image: PartImage) -> Result<Option<FaceTemplate>, String> {
        match self.analyser {
            Some(analyser) => analyser.template(image).await.map_err(|e| e.to_string()),
            None => Err("no face analyser".to_owned()),
        }
    }

    fn threshold(&self) -> f32 {
        self.analyser.map_or(f32::INFINITY, |a| a.match_threshold())
    }

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

    /// Judges a capture sequence of `credential` against its challenge, recognising replays.
    async fn capture(
        &self,
        analyser: &dyn FaceAnalyser,
        credential: &ExecutionCredential,
        outcome: &mut FaceOutcome,
    ) -> Result<Result<CaptureFinding, String>, DomainError> {
        let undetermined = |reason: &str| LivenessFinding {
            decision: DecisionType::Rejected,
            label: "LIVENESS_UNDETERMINED".to_owned(),
            reason: reason.to_owned(),
        };
        let id = credential.credential.id;
        let Some(challenge) = self.verifyd.repository.liveness_challenge(id).await? else {
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
        let earlier = self
            .verifyd
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
                label: "MANIPULATED".to_owned(),
                reason: format!(
                    "{seen} of {} frames were captured for another session",
                    finding.fingerprints.len()
                ),
            };
            finding.template = None;
        }
        Ok(Ok(finding))
    }

    /// Seals `template` into a facemap and stores it as the FACEMAP part of `credential`; the
    /// path that downloads it.
    async fn keep_facemap(
        &self,
        credential: &ExecutionCredential,
        template: &FaceTemplate,
    ) -> Result<String, DomainError> {
        let verifyd = self.verifyd;
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
        Ok(facemap_path(self.execution.account_id, id))
    }

    /// Who a liveness or authentication is about: every FACEMAP and SELFIE credential; what it
    /// judges: the first capture with frames, else the selfie; whether those are usable.
    fn subjects<'c>(
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

    /// Liveness of the capture sequence on a FACEMAP credential, or else of the selfie.
    pub async fn liveness(
        &self,
        facemaps: &[&ExecutionCredential],
        selfies: &[&ExecutionCredential],
        outcome: &mut FaceOutcome,
    ) -> Result<CapabilityResult, DomainError> {
        let Subjects {
            all: subjects,
            capture,
            selfie,
            ready,
        } = self.subjects(facemaps, selfies);
        let Some(analyser) = self.analyser.filter(|_| ready) else {
            return Ok(not_run(Capability::Liveness, refs(&subjects), ready));
        };
        if let Some(capture) = capture {
            let finding = match self.capture(analyser, capture, outcome).await? {
                Ok(finding) => finding,
                Err(error) => {
                    tracing::warn!(%error, "capture analysis failed");
                    return Ok(not_run(Capability::Liveness, refs(&subjects), true));
                }
            };
            let mut found = liveness_result(&subjects, &finding.liveness);
            found.data = serde_json::json!({ "type": "JUMIO_STANDARD" });
            if let Some(template) = finding.template {
                found.facemap_href = Some(self.keep_facemap(capture, &template).await?);
                outcome.template = Some(template);
            }
            return Ok(found);
        }
        let Some(image) = selfie.and_then(|selfie| self.face_image(selfie)) else {
            return Ok(not_run(Capability::Liveness, refs(&subjects), true));
        };
        match analyser.selfie_liveness(image).await {
            Ok(finding) => Ok(liveness_result(&subjects, &finding)),
            Err(error) => {
                tracing::warn!(%error, "selfie liveness failed");
                Ok(not_run(Capability::Liveness, refs(&subjects), true))
            }
        }
    }

    /// The facemap to authenticate against: the one uploaded in this execution (workflow 16),
    /// else the account's latest from a passed liveness (workflow 9).
    async fn reference_facemap(
        &self,
        facemaps: &[&ExecutionCredential],
    ) -> Result<Option<Bytes>, DomainError> {
        let repository = &self.verifyd.repository;
        let uploaded = self.parts.iter().find(|part| {
            part.classifier == Classifier::Facemap
                && facemaps
                    .iter()
                    .any(|c| c.credential.id == part.credential_id)
        });
        let part = match uploaded {
            Some(part) => Some(part.clone()),
            None => {
                let on_file = repository
                    .account_credentials(self.execution.tenant_id, self.execution.account_id)
                    .await?;
                let latest = on_file
                    .iter()
                    .filter(|c| {
                        c.credential.category == Category::Facemap
                            && c.execution_status == ExecutionStatus::Processed
                            && c.definition_key.definition().steps.liveness
                            && c.classifiers.contains(&Classifier::Facemap)
                    })
                    .max_by_key(|c| c.credential.created_at);
                match latest {
                    Some(c) => {
                        repository
                            .part(c.credential.id, Classifier::Facemap)
                            .await?
                    }
                    None => None,
                }
            }
        };
        let Some(part) = part else {
            return Ok(None);
        };
        Ok(self.verifyd.blobs.get(&part.blob_key).await?)
    }

    /// Authentication of a new capture (or selfie) against a facemap.
    pub async fn authentication(
        &self,
        facemaps: &[&ExecutionCredential],
        selfies: &[&ExecutionCredential],
        outcome: &mut FaceOutcome,
    ) -> Result<CapabilityResult, DomainError> {
        let Subjects {
            all: subjects,
            capture,
            selfie,
            ready,
        } = self.subjects(facemaps, selfies);
        let Some(analyser) = self.analyser.filter(|_| ready) else {
            return Ok(not_run(Capability::Authentication, refs(&subjects), ready));
        };
        let Some(sealed) = self.reference_facemap(facemaps).await? else {
            return Ok(not_run(Capability::Authentication, refs(&subjects), false));
        };
        let failed = |reason: &str| {
            tracing::info!(reason, "authentication failed");
            result(
                Capability::Authentication,
                &subjects,
                DecisionType::Rejected,
                "FAILED",
            )
        };
        let reference = match self
            .verifyd
            .open_facemap(self.execution.tenant_id, &sealed)
            .await?
        {
            Ok(template) => template,
            Err(error) => return Ok(failed(&error.to_string())),
        };
        // The new capture must show a live person (a sequence) or at least no spoof (a selfie).
        let (template, fresh) = if let Some(capture) = capture {
            let finding = match self.capture(analyser, capture, outcome).await? {
                Ok(finding) => finding,
                Err(error) => {
                    tracing::warn!(%error, "capture analysis failed");
                    return Ok(not_run(Capability::Authentication, refs(&subjects), true));
                }
            };
            if finding.liveness.decision != DecisionType::Passed {
                return Ok(failed(&finding.liveness.reason));
            }
            (finding.template, Some(capture))
        } else {
            let Some(image) = selfie.and_then(|selfie| self.face_image(selfie)) else {
                return Ok(not_run(Capability::Authentication, refs(&subjects), true));
            };
            let passive = analyser.selfie_liveness(image.clone()).await;
            match passive {
                Ok(finding) if finding.decision == DecisionType::Rejected => {
                    return Ok(failed(&finding.reason))
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "selfie liveness failed");
                    return Ok(not_run(Capability::Authentication, refs(&subjects), true));
                }
            }
            match self.template(image).await {
                Ok(template) => (template, None),
                Err(error) => {
                    tracing::warn!(%error, "face analysis failed");
                    return Ok(not_run(Capability::Authentication, refs(&subjects), true));
                }
            }
        };
        let Some(template) = template else {
            return Ok(failed("no usable face on the new capture"));
        };
        match reference.cosine(&template) {
            Some(cosine) if cosine >= self.threshold() => {
                let mut found = result(
                    Capability::Authentication,
                    &subjects,
                    DecisionType::Passed,
                    "OK",
                );
                if let Some(capture) = fresh {
                    found.facemap_href = Some(self.keep_facemap(capture, &template).await?);
                }
                outcome.template = Some(template);
                Ok(found)
            }
            Some(_) => Ok(failed("another person")),
            None => Ok(failed("the facemap was made by another face model")),
        }
    }

    /// Records the execution's face evidence (frames seen, the person's template), and finds
    /// the same face on the tenant's other accounts: the accounts, for the retrieval to show.
    pub async fn record(&self, outcome: FaceOutcome) -> Result<Vec<Uuid>, DomainError> {
        if outcome.fingerprints.is_empty() && outcome.template.is_none() {
            return Ok(Vec::new());
        }
        let repository = &self.verifyd.repository;
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
            recorded_at: self.verifyd.clock.now(),
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
) -> Result<(DecisionType, &'static str, Option<FaceTemplate>), String> {
    let a = analyser.template(first).await.map_err(|e| e.to_string())?;
    let b = analyser.template(second).await.map_err(|e| e.to_string())?;
    let cosine = match (&a, &b) {
        (Some(a), Some(b)) => a.cosine(b),
        _ => None,
    };
    Ok(match cosine {
        Some(cosine) if cosine >= analyser.match_threshold() => (DecisionType::Passed, "MATCH", b),
        Some(_) => (DecisionType::Rejected, "NO_MATCH", None),
        None => (DecisionType::Warning, "NOT_POSSIBLE", None),
    })
}

pub(super) fn similarity_result(
    pair: &[&ExecutionCredential],
    decision: DecisionType,
    label: &str,
) -> CapabilityResult {
    let mut found = result(Capability::Similarity, pair, decision, label);
    found.data = serde_json::json!({ "similarity": label });
    found
}

/// Where retrieval downloads the facemap of `credential`.
pub fn facemap_path(account: Uuid, credential: Uuid) -> String {
    format!("/api/v1/accounts/{account}/credentials/{credential}/parts/FACEMAP")
}
