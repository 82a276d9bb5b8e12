//! Turns of periodic work and the initiations' log, shared by every process on the database.
//!
//! A turn is one upsert that succeeds only when the last turn is old enough, so of simultaneous
//! takers exactly one changes the row. An initiation is admitted under a transaction-scoped
//! advisory lock on its tenant: the count and the insert of concurrent initiations on several
//! nodes are serialised per tenant, and other tenants never wait.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgPool, Row};
use uuid::Uuid;
use verifyd_domain::repository::{PeriodicTask, RepositoryError};
use verifyd_domain::rules::rate_limit::{self, RateLimits};
use verifyd_domain::timestamp::{from_millis, to_millis};

use crate::error::backend;

pub(super) async fn take_turn(
    pool: &PgPool,
    task: PeriodicTask,
    node: Uuid,
    now: DateTime<Utc>,
    every: Duration,
) -> Result<bool, RepositoryError> {
    let taken = sqlx::query(
        "INSERT INTO periodic_turns (task, taken_at, taken_by) VALUES ($1, $2, $3) \
         ON CONFLICT (task) DO UPDATE SET taken_at = excluded.taken_at, taken_by = excluded.taken_by \
         WHERE periodic_turns.taken_at <= $4",
    )
    .bind(task.name())
    .bind(to_millis(now))
    .bind(node)
    .bind(to_millis(now - every))
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(taken.rows_affected() == 1)
}

/// The advisory lock's key for a tenant's initiations: the class (first int) keeps it apart
/// from any other advisory lock on the database (sqlx's migrations use the 64-bit form).
const INITIATIONS_LOCK_CLASS: i32 = 0x7665_7269; // "veri"

pub(super) async fn admit_initiation(
    pool: &PgPool,
    tenant: Uuid,
    now: DateTime<Utc>,
    limits: RateLimits,
) -> Result<Result<(), u64>, RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    let (high, _) = tenant.as_u64_pair();
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(INITIATIONS_LOCK_CLASS)
        .bind(high as i32)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    sqlx::query("DELETE FROM initiations WHERE tenant_id = $1 AND at <= $2")
        .bind(tenant)
        .bind(to_millis(now - rate_limit::WINDOW))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    let recent: Vec<DateTime<Utc>> = sqlx::query("SELECT at FROM initiations WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?
        .iter()
        .map(|row| row.try_get::<i64, _>("at").map(from_millis))
        .collect::<Result<_, _>>()
        .map_err(backend)?;
    let admitted = rate_limit::admit(&recent, now, limits);
    if admitted.is_ok() {
        sqlx::query("INSERT INTO initiations (tenant_id, at) VALUES ($1, $2)")
            .bind(tenant)
            .bind(to_millis(now))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    }
    tx.commit().await.map_err(backend)?;
    Ok(admitted)
}
