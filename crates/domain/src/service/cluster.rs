//! What several nodes on one database must agree on: whose turn periodic work is, and how many
//! initiations a tenant has made. Both are decided in the database, so that a node's memory is
//! never the only record.

use chrono::Duration;
use uuid::Uuid;

use super::Verifyd;
use crate::error::DomainError;
use crate::repository::PeriodicTask;
use crate::rules::rate_limit::RateLimits;

impl Verifyd {
    /// This process's name in the turns it takes (a random id, made when it starts).
    pub fn node(&self) -> Uuid {
        self.node
    }

    /// Whether this node should do `task` now: true for one node per `every` across the
    /// cluster.
    pub async fn take_turn(
        &self,
        task: PeriodicTask,
        every: Duration,
    ) -> Result<bool, DomainError> {
        let now = self.clock.now();
        Ok(self
            .repository
            .take_turn(task, self.node, now, every)
            .await?)
    }

    /// Records an initiation by `tenant` now if the limits admit it; refused, the seconds to
    /// wait. Counted across every node on the database.
    pub async fn admit_initiation(
        &self,
        tenant: Uuid,
        limits: RateLimits,
    ) -> Result<Result<(), u64>, DomainError> {
        let now = self.clock.now();
        Ok(self
            .repository
            .admit_initiation(tenant, now, limits)
            .await?)
    }
}
