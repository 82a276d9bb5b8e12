//! Which callback a state change produces: to the execution's callbackUrl, else the tenant's.

use chrono::{DateTime, Utc};

use super::Verifyd;
use crate::error::DomainError;
use crate::model::{ExecutionStatus, WorkflowExecution};
use crate::random::new_id;
use crate::repository::NewCallback;

impl Verifyd {
    pub(super) async fn callback_for(
        &self,
        execution: &WorkflowExecution,
        status: ExecutionStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<NewCallback>, DomainError> {
        let url = self.callback_url_for(execution).await?;
        Ok(url.map(|url| {
            NewCallback::for_execution(new_id(self.random.as_ref()), execution, status, url, now)
        }))
    }

    /// Where `execution`'s callbacks go: its own callbackUrl, else the tenant's default.
    pub(super) async fn callback_url_for(
        &self,
        execution: &WorkflowExecution,
    ) -> Result<Option<String>, DomainError> {
        Ok(match &execution.callback_url {
            Some(url) => Some(url.clone()),
            None => self
                .repository
                .tenant(execution.tenant_id)
                .await?
                .and_then(|tenant| tenant.callback_url),
        })
    }
}
