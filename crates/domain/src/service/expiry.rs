//! Expiry: an execution whose token ran out before acquisition started becomes TOKEN_EXPIRED;
//! one idle past its session becomes SESSION_EXPIRED. Either way its acquired images are
//! deleted and the callback is sent.

use super::Verifyd;
use crate::error::DomainError;
use crate::model::ExecutionStatus;

/// How many executions one sweep expires at most.
const BATCH: u32 = 100;

impl Verifyd {
    /// Expires every due execution (in batches); returns how many were expired.
    pub async fn expire_due(&self) -> Result<usize, DomainError> {
        let mut expired = 0;
        loop {
            let now = self.clock.now();
            let due = self.repository.due_expiries(now, BATCH).await?;
            let mut progressed = false;
            for execution in &due {
                let status = if execution.started_at.is_some() {
                    ExecutionStatus::SessionExpired
                } else {
                    ExecutionStatus::TokenExpired
                };
                let prefixes = self.owned_blob_prefixes(execution).await?;
                let callback = self.callback_for(execution, status, now).await?;
                if self
                    .repository
                    .expire_execution(execution.id, status, now, &prefixes, callback.as_ref())
                    .await?
                {
                    expired += 1;
                    progressed = true;
                    self.purge_blobs(&prefixes).await?;
                }
            }
            if due.len() < BATCH as usize || !progressed {
                return Ok(expired);
            }
        }
    }
}
