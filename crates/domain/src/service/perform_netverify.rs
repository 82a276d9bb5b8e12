//! `POST /api/netverify/v2/performNetverify`: initiation, upload and finalization in one
//! request. Every image is checked as an upload before anything is stored, so a refused request
//! leaves nothing behind; the transaction is then a v4-like scan whose source is the API.

use super::acquisition::{Acquirer, PartContent, UploadMode};
use super::{require, Verifyd};
use crate::error::DomainError;
use crate::model::{Caller, Classifier, ClassifierRules, Scope, WorkflowExecution};
use crate::rules::perform_netverify::Performance;
use crate::rules::FieldError;

impl Verifyd {
    /// Runs a validated request (`rules::perform_netverify::validate`, which the server calls
    /// off the async runtime): the execution ends ACQUIRED with its processing queued.
    pub async fn perform_netverify(
        &self,
        caller: &Caller,
        performance: Performance,
    ) -> Result<WorkflowExecution, DomainError> {
        require(caller, Scope::Initiate)?;
        require(caller, Scope::Acquire)?;
        let mut checked = Vec::with_capacity(performance.images.len());
        for image in performance.images {
            let content = self
                .check_content(image.classifier, PartContent::File(image.bytes))
                .await
                .map_err(|error| match error {
                    DomainError::PartRejected(rejection) => DomainError::ImageRejected {
                        field: image.field.to_owned(),
                        rejection,
                    },
                    other => other,
                })?;
            if content.1.media_type != image.declared {
                return Err(FieldError::new(
                    image.mime_field,
                    format!(
                        "says {} but {} is {}",
                        image.declared.as_str(),
                        image.field,
                        content.1.media_type.as_str()
                    ),
                )
                .into());
            }
            checked.push((image.classifier, content));
        }
        let prepared = match performance.prepared {
            Some(data) => Some(
                self.check_content(
                    Classifier::PreparedData,
                    PartContent::PreparedData(Box::new(data)),
                )
                .await?,
            ),
            None => None,
        };

        let initiated = self.start(caller, None, performance.initiation).await?;
        let execution = initiated.execution;
        let parts = checked
            .into_iter()
            .chain(prepared.map(|content| (Classifier::PreparedData, content)));
        let mut stored = Ok(());
        for (classifier, content) in parts {
            let Some(credential) = initiated
                .credentials
                .iter()
                .find(|c| classifier.allowed_for(c.credential.category))
            else {
                stored = Err(DomainError::Internal(format!(
                    "workflow {} has no credential for {classifier}",
                    execution.definition_key
                )));
                break;
            };
            let now = self.clock.now();
            stored = self
                .store_part(
                    &execution,
                    credential.credential.id,
                    classifier,
                    content,
                    UploadMode::Add,
                    now,
                )
                .await;
            if stored.is_err() {
                break;
            }
        }
        let finalized = match stored {
            Ok(()) => {
                self.finalize(
                    &Acquirer::Tenant(caller.clone()),
                    execution.account_id,
                    execution.id,
                )
                .await
            }
            Err(error) => Err(error),
        };
        if finalized.is_err() {
            // Half a transaction is no transaction: the client is told it failed.
            if let Err(error) = self
                .remove_account(execution.tenant_id, execution.account_id)
                .await
            {
                tracing::warn!(%error, "could not remove a performNetverify transaction that failed");
            }
        }
        finalized
    }
}
