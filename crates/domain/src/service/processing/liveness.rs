//! Liveness: a capture sequence judged against the challenge issued for its credential (a
//! passed one leaves a sealed facemap on it), or else a single selfie, judged passively.

use super::faces::{liveness_result, FaceOutcome, FaceStep, Subjects};
use super::results::{not_run, refs};
use crate::error::DomainError;
use crate::model::{Capability, CapabilityResult, ExecutionCredential};

impl FaceStep<'_> {
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
            match found.data.as_object_mut() {
                Some(data) => {
                    data.insert("type".to_owned(), "JUMIO_STANDARD".into());
                }
                None => found.data = serde_json::json!({ "type": "JUMIO_STANDARD" }),
            }
            if let Some(template) = finding.template {
                found.facemap_href = self.keep_facemap(capture, &template).await?;
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
}
