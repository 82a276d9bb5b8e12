//! Data retention: each tenant's finished transactions are purged once they are older than its
//! retention period (reference/portal-settings.md, "Data Retention"), counted from their
//! creation. A purge is a deletion like the API's, by crypto-shredding where the account goes
//! with its last execution; it sends no callback.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Verifyd;
use crate::blob_store::keys;
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
    /// Due, but a later execution uses its ID or facemap on file.
    pub kept_as_relied_on: usize,
}

impl RetentionSwept {
    /// True when something was purged (what is kept is kept again every sweep).
    pub fn purged_any(&self) -> bool {
        self.executions + self.accounts + self.document_verifications > 0
    }
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
            // One tenant's failure (a blob store outage, say) leaves the others to their purge;
            // its own turn comes again within the hour.
            if let Err(error) = self
                .sweep_tenant(tenant, &retention, before, &mut swept)
                .await
            {
                tracing::warn!(%tenant, %error, "data retention could not purge this tenant");
            }
        }
        Ok(swept)
    }

    async fn sweep_tenant(
        &self,
        tenant: Uuid,
        retention: &Retention,
        before: DateTime<Utc>,
        swept: &mut RetentionSwept,
    ) -> Result<(), DomainError> {
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
                self.purge_execution(execution, swept).await?;
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
                return Ok(());
            }
        }
    }

    /// Deletes the execution as `DELETE .../workflow-executions/{id}` does, and its account
    /// (with the account's data key) when it was the account's last.
    async fn purge_execution(
        &self,
        execution: &WorkflowExecution,
        swept: &mut RetentionSwept,
    ) -> Result<(), DomainError> {
        let (tenant, account) = (execution.tenant_id, execution.account_id);
        // A later execution that uses this one's ID or facemap on file (workflow 5) would lose
        // it: this one stays while another relies on it, and goes in a sweep after that one.
        for other in self.repository.executions_of(tenant, account).await? {
            if other.id == execution.id {
                continue;
            }
            let linked = self.repository.execution_credentials(other.id).await?;
            if linked.iter().any(|c| c.owned_by(execution.id)) {
                swept.kept_as_relied_on += 1;
                return Ok(());
            }
        }
        let prefixes = self.owned_blob_prefixes(execution).await?;
        if self
            .repository
            .delete_execution(tenant, account, execution.id, &prefixes, self.clock.now())
            .await?
        {
            swept.executions += 1;
            self.purge_blobs(&prefixes).await?;
        }
        // Only while it has no execution left, checked as it is deleted: one started meanwhile
        // keeps the account.
        let account_prefixes = vec![keys::account_prefix(tenant, account)];
        if self
            .repository
            .delete_account_if_empty(tenant, account, &account_prefixes, self.clock.now())
            .await?
        {
            swept.accounts += 1;
            self.purge_blobs(&account_prefixes).await?;
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
