//! The web client's view of its own execution, for the workflow token it was given, and the
//! one choice only the web client records: which document the user holds.

use uuid::Uuid;
use verifyd_types::ErrorCode;

use super::id_types::CountryDocuments;
use super::{Acquirer, ExecutionDetails, Verifyd, WorkflowGrant};
use crate::catalogue::IdType;
use crate::error::{DomainError, Resource};
use crate::model::{
    AcquisitionClosed, Category, Channel, DocumentChoice, ExecutionCredential, PredefinedType,
    Preset,
};

/// What the web client needs to run (or refuse to run) a journey.
pub struct WebSession {
    pub details: ExecutionDetails,
    /// Why acquisition is closed, if it is: the client shows 9200 or 9210 instead of failing
    /// at its first upload.
    pub closed: Option<AcquisitionClosed>,
    /// The documents the user may choose from for each ID credential: the tenant's accepted
    /// ones narrowed by the credential's DEFINED presets.
    pub choices: Vec<(Uuid, Vec<CountryDocuments>)>,
}

impl Verifyd {
    /// Answers for any status, expired included, so that the client can tell the user why the
    /// journey cannot go on (9200, 9210) instead of failing blindly.
    pub async fn web_session(&self, grant: &WorkflowGrant) -> Result<WebSession, DomainError> {
        require_web(grant)?;
        let execution = self
            .repository
            .execution(grant.tenant_id, grant.account_id, grant.execution_id)
            .await?
            .ok_or(DomainError::NotFound(Resource::WorkflowExecution))?;
        let closed = execution.acquisition_open(self.clock.now()).err();
        let details = self.details_of(execution).await?;
        let accepted = self.accepted_by_tenant(grant.tenant_id).await?;
        let choices = details
            .credentials
            .iter()
            .filter(|(linked, _)| linked.credential.category == Category::Id)
            .map(|(linked, _)| (linked.credential.id, choices_for(linked, &accepted)))
            .collect();
        Ok(WebSession {
            details,
            closed,
            choices,
        })
    }

    /// Records the country and document type the user chose for an ID credential, so that
    /// processing judges the upload against them (UNSUPPORTED_COUNTRY, UNSUPPORTED_DOCUMENT_TYPE,
    /// MISSING_PAGE). The customer's presets stay as sent; the choice must lie within them and
    /// may change until a side of the document is uploaded.
    pub async fn choose_document(
        &self,
        grant: &WorkflowGrant,
        credential: Uuid,
        country: &str,
        id_type: IdType,
    ) -> Result<(), DomainError> {
        require_web(grant)?;
        let acquirer = Acquirer::Workflow(*grant);
        let (_, target) = self
            .acquirable(
                &acquirer,
                grant.account_id,
                grant.execution_id,
                credential,
                self.clock.now(),
            )
            .await?;
        if target.credential.category != Category::Id {
            return Err(DomainError::Invalid {
                code: ErrorCode::NotAnId,
                message: "documents are chosen for ID credentials".to_owned(),
            });
        }
        let accepted = self.accepted_by_tenant(grant.tenant_id).await?;
        let allowed = choices_for(&target, &accepted).into_iter().any(|choice| {
            choice.code == country && choice.id_types.iter().any(|t| t.id_type == id_type)
        });
        if !allowed {
            return Err(DomainError::Invalid {
                code: ErrorCode::DocumentNotAccepted,
                message: format!(
                    "{} from {country} is not among the documents this verification accepts",
                    id_type.as_str()
                ),
            });
        }
        let captured = self.repository.parts(&[credential]).await?;
        if !captured.is_empty() {
            return Err(DomainError::Conflict {
                code: ErrorCode::DocumentAlreadyCaptured,
                message: "the document cannot be changed once a side of it is uploaded".to_owned(),
            });
        }
        let choice = DocumentChoice {
            country: country.to_owned(),
            id_type,
        };
        self.repository.choose_document(credential, &choice).await?;
        Ok(())
    }
}

fn require_web(grant: &WorkflowGrant) -> Result<(), DomainError> {
    if grant.channel == Channel::Web {
        Ok(())
    } else {
        Err(DomainError::Forbidden {
            code: ErrorCode::ChannelNotAllowed,
            message: "the web session is for WEB workflow tokens".to_owned(),
        })
    }
}

/// `accepted` narrowed by the credential's DEFINED presets; RECOMMENDED ones only preselect.
fn choices_for(
    credential: &ExecutionCredential,
    accepted: &[CountryDocuments],
) -> Vec<CountryDocuments> {
    let defined = |preset: &Option<Preset>| {
        preset
            .as_ref()
            .filter(|p| p.predefined_type == PredefinedType::Defined && !p.values.is_empty())
            .map(|p| p.values.clone())
    };
    let countries = defined(&credential.credential.country);
    let types = defined(&credential.credential.id_type);
    accepted
        .iter()
        .filter(|country| {
            countries
                .as_ref()
                .is_none_or(|codes| codes.iter().any(|c| c == country.code))
        })
        .filter_map(|country| {
            country.narrowed(|id_type| {
                types
                    .as_ref()
                    .is_none_or(|names| names.iter().any(|n| n == id_type.as_str()))
            })
        })
        .collect()
}
