//! Retrieval: status, details and parts, for the tenant's own credentials only.

use bytes::Bytes;
use uuid::Uuid;

use super::{require, Verifyd};
use crate::error::{DomainError, Resource};
use crate::model::{Caller, Classifier, ExecutionCredential, Part, Scope, WorkflowExecution};

#[derive(Debug, Clone)]
pub struct ExecutionDetails {
    pub execution: WorkflowExecution,
    pub credentials: Vec<(ExecutionCredential, Vec<Part>)>,
}

impl Verifyd {
    /// The account and its workflow executions.
    pub async fn account_overview(
        &self,
        caller: &Caller,
        account: Uuid,
    ) -> Result<(crate::model::Account, Vec<WorkflowExecution>), DomainError> {
        require(caller, Scope::Retrieve)?;
        let found = self
            .repository
            .account(caller.tenant_id, account)
            .await?
            .ok_or(DomainError::NotFound(Resource::Account))?;
        let executions = self
            .repository
            .executions_of(caller.tenant_id, account)
            .await?;
        Ok((found, executions))
    }

    pub async fn execution_status(
        &self,
        caller: &Caller,
        account: Uuid,
        execution: Uuid,
    ) -> Result<WorkflowExecution, DomainError> {
        require(caller, Scope::Retrieve)?;
        self.repository
            .execution(caller.tenant_id, account, execution)
            .await?
            .ok_or(DomainError::NotFound(Resource::WorkflowExecution))
    }

    pub async fn execution_details(
        &self,
        caller: &Caller,
        account: Uuid,
        execution: Uuid,
    ) -> Result<ExecutionDetails, DomainError> {
        let execution = self.execution_status(caller, account, execution).await?;
        self.details_of(execution).await
    }

    /// The execution with its credentials and their parts, whoever asks.
    pub(super) async fn details_of(
        &self,
        execution: WorkflowExecution,
    ) -> Result<ExecutionDetails, DomainError> {
        let credentials = self.repository.execution_credentials(execution.id).await?;
        let ids: Vec<Uuid> = credentials.iter().map(|c| c.credential.id).collect();
        let mut parts = self.repository.parts(&ids).await?;
        parts.sort_by_key(|part| part.classifier);
        let credentials = credentials
            .into_iter()
            .map(|credential| {
                let own = parts
                    .iter()
                    .filter(|part| part.credential_id == credential.credential.id)
                    .cloned()
                    .collect();
                (credential, own)
            })
            .collect();
        Ok(ExecutionDetails {
            execution,
            credentials,
        })
    }

    pub async fn part_content(
        &self,
        caller: &Caller,
        account: Uuid,
        credential: Uuid,
        classifier: Classifier,
    ) -> Result<(Part, Bytes), DomainError> {
        require(caller, Scope::Retrieve)?;
        self.repository
            .credential(caller.tenant_id, account, credential)
            .await?
            .ok_or(DomainError::NotFound(Resource::Credential))?;
        let part = self
            .repository
            .part(credential, classifier)
            .await?
            .ok_or(DomainError::NotFound(Resource::Part))?;
        match self.blobs.get(&part.blob_key).await? {
            Some(bytes) => Ok((part, bytes)),
            None => {
                tracing::error!(%credential, %classifier, "a part's blob is missing from the blob store");
                Err(DomainError::NotFound(Resource::Part))
            }
        }
    }
}
