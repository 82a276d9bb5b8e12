//! Authentication: a new capture (or selfie) compared with a facemap, the one uploaded in
//! this execution (workflow 16) or the account's own from a passed liveness (workflow 9).

use bytes::Bytes;

use super::faces::{result, FaceOutcome, FaceStep, Subjects};
use super::results::{not_run, refs};
use crate::error::DomainError;
use crate::model::Label;
use crate::model::{
    Capability, CapabilityResult, Category, Classifier, DecisionType, ExecutionCredential,
    ExecutionStatus,
};

impl FaceStep<'_> {
    /// The facemap to authenticate against: the one uploaded in this execution (workflow 16),
    /// else the account's latest from a passed liveness (workflow 9).
    async fn reference_facemap(
        &self,
        facemaps: &[&ExecutionCredential],
    ) -> Result<Option<Bytes>, DomainError> {
        let Some(verifyd) = self.stores else {
            return Ok(None);
        };
        let repository = &verifyd.repository;
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
        Ok(verifyd.blobs.get(&part.blob_key).await?)
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
                Label::Failed,
            )
        };
        let Some(verifyd) = self.stores else {
            return Ok(not_run(Capability::Authentication, refs(&subjects), false));
        };
        let reference = match verifyd
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
                    Label::Ok,
                );
                if let Some(capture) = fresh {
                    found.facemap_href = self.keep_facemap(capture, &template).await?;
                }
                outcome.template = Some(template);
                Ok(found)
            }
            Some(_) => Ok(failed("another person")),
            None => Ok(failed("the facemap was made by another face model")),
        }
    }
}
