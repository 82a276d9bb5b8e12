//! Callback delivery bookkeeping: leases on due callbacks, attempts, and the retry schedule.
//! The HTTP itself is the server's; the schedule is a rule.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{require, Verifyd};
use crate::error::{DomainError, Resource};
use crate::model::{Caller, Scope};
use crate::random::new_id;
use crate::repository::{CallbackAttempt, CallbackRecord, CallbackState, ClaimedCallback};

/// Retries go on for at least this long after the callback was due.
pub const RETRY_FOR_HOURS: i64 = 25;

/// The wait after the n-th failed attempt (1-based): 30 s doubling, at most an hour.
pub fn backoff(failed_attempts: u32) -> Duration {
    let doubled = 30i64 << failed_attempts.saturating_sub(1).min(10);
    Duration::seconds(doubled.min(3600))
}

/// What follows a failed attempt made at `now`.
pub fn after_failure(
    created_at: DateTime<Utc>,
    failed_attempts: u32,
    now: DateTime<Utc>,
) -> CallbackState {
    let next = now + backoff(failed_attempts);
    if next - created_at > Duration::hours(RETRY_FOR_HOURS) {
        CallbackState::GaveUp
    } else {
        CallbackState::RetryAt(next)
    }
}

impl Verifyd {
    pub async fn claim_callback(
        &self,
        lease: Duration,
    ) -> Result<Option<ClaimedCallback>, DomainError> {
        let now = self.clock.now();
        let token = new_id(self.random.as_ref());
        Ok(self
            .repository
            .claim_callback(now, now + lease, token)
            .await?)
    }

    pub async fn finish_callback_attempt(
        &self,
        claimed: &ClaimedCallback,
        attempt: CallbackAttempt,
        delivered: bool,
    ) -> Result<CallbackState, DomainError> {
        let state = if delivered {
            CallbackState::Delivered
        } else {
            after_failure(
                claimed.callback.created_at,
                claimed.attempts + 1,
                attempt.attempted_at,
            )
        };
        self.repository
            .finish_callback_attempt(claimed, &attempt, state)
            .await?;
        Ok(state)
    }

    /// The callbacks of an execution and every attempt, for the tenant that owns it.
    pub async fn callbacks_of(
        &self,
        caller: &Caller,
        account: Uuid,
        execution: Uuid,
    ) -> Result<Vec<CallbackRecord>, DomainError> {
        require(caller, Scope::Retrieve)?;
        self.repository
            .execution(caller.tenant_id, account, execution)
            .await?
            .ok_or(DomainError::NotFound(Resource::WorkflowExecution))?;
        Ok(self
            .repository
            .callbacks_of(caller.tenant_id, execution)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_go_on_for_a_day() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(20), Duration::hours(1));
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let mut now = start;
        let mut failures = 0;
        while let CallbackState::RetryAt(next) = after_failure(start, failures + 1, now) {
            failures += 1;
            now = next;
        }
        assert!(now - start >= Duration::hours(24), "gave up after {now}");
        assert!(failures >= 30, "{failures} attempts");
    }
}
