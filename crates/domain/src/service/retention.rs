//! Data retention: each tenant's finished transactions are purged once they are older than its
//! retention period (reference/portal-settings.md, "Data Retention"), counted from their
//! creation. A purge is a deletion like the API's, by crypto-shredding where the account goes
//! with its last execution; it sends no callback.

use uuid::Uuid;

use super::Verifyd;
use crate::error::DomainError;
use crate::model::{Retention, WorkflowExecution};
use crate::netverify::Verdict;

/// How many transactions one page of a sweep reads.
const BATCH: u32 = 100;

/// What one sweep purged and kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionSwept {
    pub executions: usize,
    /// Accounts deleted because their last execution was purged.
    pub accounts: usize,
    pub document_verifications: usize,
    /// Due, but denied as fraud, and the tenant keeps those.
    pub kept_as_fraud: usize,
}

impl Verifyd {
    pub async fn set_retention(
        &self,
        tenant: Uuid,
        retention: &Retention,
    ) -> Result<(), DomainError> {
        Ok(self.repository.set_retention(tenant, retention).await?)
    }

    /// The tenant's data retention.
    pub async fn retention(&self, tenant: Uuid) -> Result<Retention, DomainError> {
        Ok(self
            .repository
            .retentions()
            .await?
            .into_iter()
            .find_map(|(id, retention)| (id == tenant).then_some(retention))
            .unwrap_or_default())
    }

    /// Purges every tenant's transactions whose retention ran out.
    pub async fn sweep_retention(&self) -> Result<RetentionSwept, DomainError> {
        let now = self.clock.now();
        let mut swept = RetentionSwept::default();
        for (tenant, retention) in self.repository.retentions().await? {
            let Some(before) = retention.created_before(now) else {
                continue;
            };
            let mut after = None;
            loop {
                let due = self
                    .repository
                    .retention_due(tenant, before, after, BATCH)
                    .await?;
                for execution in &due {
                    after = Some((execution.created_at, execution.id));
                    if !retention.delete_fraud && denied_as_fraud(execution) {
                        swept.kept_as_fraud += 1;
                        continue;
                    }
                    self.purge_execution(execution, &mut swept).await?;
                }
                if due.len() < BATCH as usize {
                    break;
                }
            }
            loop {
                let due = self
                    .repository
                    .document_verifications_due(tenant, before, BATCH)
                    .await?;
                let mut progressed = false;
                for verification in &due {
                    if self.remove_document_verification(verification).await? {
                        swept.document_verifications += 1;
                        progressed = true;
                    }
                }
                if due.len() < BATCH as usize || !progressed {
                    break;
                }
            }
        }
        Ok(swept)
    }

    /// Deletes the execution as `DELETE .../workflow-executions/{id}` does, and its account
    /// (with the account's data key) when it was the account's last.
    async fn purge_execution(
        &self,
        execution: &WorkflowExecution,
        swept: &mut RetentionSwept,
    ) -> Result<(), DomainError> {
        let (tenant, account) = (execution.tenant_id, execution.account_id);
        let prefixes = self.owned_blob_prefixes(execution).await?;
        if self
            .repository
            .delete_execution(tenant, account, execution.id, &prefixes, self.clock.now())
            .await?
        {
            swept.executions += 1;
            self.purge_blobs(&prefixes).await?;
        }
        if self
            .repository
            .executions_of(tenant, account)
            .await?
            .is_empty()
        {
            match self.remove_account(tenant, account).await {
                Ok(()) => swept.accounts += 1,
                // Deleted meanwhile (by the API): nothing left to purge.
                Err(DomainError::NotFound(_)) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }
}

fn denied_as_fraud(execution: &WorkflowExecution) -> bool {
    execution
        .outcome
        .as_ref()
        .is_some_and(|outcome| Verdict::of(outcome).fraud())
}
