//! Deletion of accounts and workflow executions: records first (so every read is 404 at once),
//! then the blobs, with the pending blob deletions recorded in the same transaction so that a
//! crash in between is finished by `purge_deleted_blobs`.

use uuid::Uuid;

use super::{require, Verifyd};
use crate::blob_store::keys;
use crate::error::{DomainError, Resource};
use crate::model::{Caller, Scope, WorkflowExecution};

impl Verifyd {
    pub async fn delete_account(&self, caller: &Caller, account: Uuid) -> Result<(), DomainError> {
        require(caller, Scope::Delete)?;
        self.remove_account(caller.tenant_id, account).await
    }

    /// Deletes an account and everything in it, whoever asks (the caller's scope is checked).
    pub(super) async fn remove_account(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<(), DomainError> {
        let prefixes = vec![keys::account_prefix(tenant, account)];
        let now = self.clock.now();
        if !self
            .repository
            .delete_account(tenant, account, &prefixes, now)
            .await?
        {
            return Err(DomainError::NotFound(Resource::Account));
        }
        self.purge_blobs(&prefixes).await
    }

    pub async fn delete_execution(
        &self,
        caller: &Caller,
        account: Uuid,
        execution: Uuid,
    ) -> Result<(), DomainError> {
        require(caller, Scope::Delete)?;
        let found = self
            .repository
            .execution(caller.tenant_id, account, execution)
            .await?
            .ok_or(DomainError::NotFound(Resource::WorkflowExecution))?;
        let prefixes = self.owned_blob_prefixes(&found).await?;
        let now = self.clock.now();
        if !self
            .repository
            .delete_execution(caller.tenant_id, account, execution, &prefixes, now)
            .await?
        {
            return Err(DomainError::NotFound(Resource::WorkflowExecution));
        }
        self.purge_blobs(&prefixes).await
    }

    /// The blob prefixes of the credentials an execution acquired itself (not the ones on file
    /// that it only borrows): what goes when the execution is deleted or expires.
    pub(super) async fn owned_blob_prefixes(
        &self,
        execution: &WorkflowExecution,
    ) -> Result<Vec<String>, DomainError> {
        Ok(self
            .repository
            .execution_credentials(execution.id)
            .await?
            .iter()
            .filter(|c| c.owned_by(execution.id))
            .map(|c| {
                keys::credential_prefix(execution.tenant_id, execution.account_id, c.credential.id)
            })
            .collect())
    }

    /// Finishes blob deletions recorded earlier (after a crash or a blob store outage).
    pub async fn purge_deleted_blobs(&self) -> Result<usize, DomainError> {
        let pending = self.repository.pending_blob_deletions().await?;
        self.purge_blobs(&pending).await?;
        Ok(pending.len())
    }

    pub(super) async fn purge_blobs(&self, prefixes: &[String]) -> Result<(), DomainError> {
        for prefix in prefixes {
            self.blobs.delete_prefix(prefix).await?;
            self.repository.blob_deletion_done(prefix).await?;
        }
        Ok(())
    }
}
