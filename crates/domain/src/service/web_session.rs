//! The web client's view of its own execution, for the workflow token it was given.

use super::{ExecutionDetails, Verifyd, WorkflowGrant};
use crate::error::{DomainError, Resource};
use crate::model::Channel;

impl Verifyd {
    /// Answers for any status, expired included, so that the client can tell the user why the
    /// journey cannot go on (9200, 9210) instead of failing blindly.
    pub async fn web_session(
        &self,
        grant: &WorkflowGrant,
    ) -> Result<ExecutionDetails, DomainError> {
        if grant.channel != Channel::Web {
            return Err(DomainError::Forbidden {
                code: "CHANNEL_NOT_ALLOWED",
                message: "the web session is for WEB workflow tokens".to_owned(),
            });
        }
        let execution = self
            .repository
            .execution(grant.tenant_id, grant.account_id, grant.execution_id)
            .await?
            .ok_or(DomainError::NotFound(Resource::WorkflowExecution))?;
        self.details_of(execution).await
    }
}
