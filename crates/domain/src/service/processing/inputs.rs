//! What an execution's processing runs over: its credentials and parts, the images of those it
//! judges, the PREPARED_DATA of its IDs and the tenant's accepted documents. Loaded from the
//! stores for a job; given whole by `verifyd inspect`, whose execution lives in memory only.

use std::collections::HashMap;

use uuid::Uuid;
use verifyd_types::PreparedData;

use super::super::Verifyd;
use super::plan::{Plan, Step};
use crate::analysers::PartImage;
use crate::error::DomainError;
use crate::inspector::PartFormat;
use crate::model::{
    AcceptedCountry, Category, Classifier, ClassifierRules, ExecutionCredential, Part,
    WorkflowExecution,
};

pub(super) struct Inputs {
    pub credentials: Vec<ExecutionCredential>,
    pub parts: Vec<Part>,
    /// The images of each credential processing judges (see [`judged`]), in upload order;
    /// `None` for one with an image missing from the blob store.
    pub images: HashMap<Uuid, Option<Vec<PartImage>>>,
    /// Each ID's PREPARED_DATA, validated at upload, for data checks to compare with.
    pub prepared: HashMap<Uuid, PreparedData>,
    /// The tenant's accepted ID types; `None` accepts every type.
    pub accepted: Option<Vec<AcceptedCountry>>,
}

/// Whether processing judges a credential's images: an ID's and a selfie's always (an empty
/// one is NOT_UPLOADED), a FACEMAP credential's when it holds frames (an uploaded facemap has
/// none), a DOCUMENT's never (a PDF is kept, not judged).
pub(super) fn judged(category: Category, has_images: bool) -> bool {
    matches!(category, Category::Id | Category::Selfie)
        || (category == Category::Facemap && has_images)
}

impl Inputs {
    pub async fn load(
        verifyd: &Verifyd,
        execution: &WorkflowExecution,
        plan: &Plan,
    ) -> Result<Self, DomainError> {
        let credentials = verifyd
            .repository
            .execution_credentials(execution.id)
            .await?;
        let ids: Vec<Uuid> = credentials.iter().map(|c| c.credential.id).collect();
        let parts = verifyd.repository.parts(&ids).await?;
        let mut images = HashMap::new();
        let mut prepared = HashMap::new();
        for credential in &credentials {
            let id = credential.credential.id;
            let of_credential = || parts.iter().filter(move |p| p.credential_id == id);
            let image_parts: Vec<&Part> = of_credential()
                .filter(|p| p.classifier.format() == Some(PartFormat::Image))
                .collect();
            if judged(credential.credential.category, !image_parts.is_empty()) {
                images.insert(id, load_images(verifyd, &image_parts).await?);
            }
            if plan.runs(Step::Documents) && credential.credential.category == Category::Id {
                let data = of_credential().find(|p| p.classifier == Classifier::PreparedData);
                if let Some(data) = prepared_data(verifyd, data).await? {
                    prepared.insert(id, data);
                }
            }
        }
        let accepted = if plan.runs(Step::Documents) {
            verifyd
                .repository
                .tenant(execution.tenant_id)
                .await?
                .and_then(|tenant| tenant.accepted_id_types)
        } else {
            None
        };
        Ok(Self {
            credentials,
            parts,
            images,
            prepared,
            accepted,
        })
    }
}

async fn load_images(
    verifyd: &Verifyd,
    parts: &[&Part],
) -> Result<Option<Vec<PartImage>>, DomainError> {
    let mut loaded = Vec::with_capacity(parts.len());
    for part in parts {
        match verifyd.blobs.get(&part.blob_key).await? {
            Some(bytes) => loaded.push(PartImage {
                classifier: part.classifier,
                bytes,
            }),
            None => return Ok(None),
        }
    }
    Ok(Some(loaded))
}

async fn prepared_data(
    verifyd: &Verifyd,
    part: Option<&Part>,
) -> Result<Option<PreparedData>, DomainError> {
    let Some(part) = part else {
        return Ok(None);
    };
    Ok(verifyd
        .blobs
        .get(&part.blob_key)
        .await?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok()))
}
