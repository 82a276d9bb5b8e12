//! What `/metrics` reads of the database: the processing queue at one moment and the pools.

use chrono::{DateTime, Utc};
use sqlx::{Row, SqlitePool};
use verifyd_domain::repository::{PoolStats, QueueStats, RepositoryError};
use verifyd_domain::timestamp::{from_millis, to_millis};

use crate::error::backend;

/// One pass over the jobs table (a handful of rows while processing keeps up). A job is due
/// when `claim_job` would hand it out: its time has come and its lease, if any, ran out.
pub(super) async fn queue(
    pool: &SqlitePool,
    now: DateTime<Utc>,
) -> Result<QueueStats, RepositoryError> {
    let row = sqlx::query(
        "SELECT \
           COALESCE(SUM(CASE WHEN run_at <= ?1 AND (lease_until IS NULL OR lease_until <= ?1) THEN 1 ELSE 0 END), 0) AS due, \
           COALESCE(SUM(CASE WHEN lease_until > ?1 THEN 1 ELSE 0 END), 0) AS leased, \
           MIN(CASE WHEN run_at <= ?1 AND (lease_until IS NULL OR lease_until <= ?1) THEN run_at END) AS oldest_due_at \
         FROM jobs",
    )
    .bind(to_millis(now))
    .fetch_one(pool)
    .await
    .map_err(backend)?;
    let count = |column: &str| -> Result<u64, RepositoryError> {
        let value = row.try_get::<i64, _>(column).map_err(backend)?;
        Ok(u64::try_from(value).unwrap_or(0))
    };
    Ok(QueueStats {
        due: count("due")?,
        leased: count("leased")?,
        oldest_due_at: row
            .try_get::<Option<i64>, _>("oldest_due_at")
            .map_err(backend)?
            .map(from_millis),
    })
}

/// The read pool and the one-connection write pool, as sqlx counts them.
pub(super) fn pools(reads: &SqlitePool, writes: &SqlitePool) -> Vec<PoolStats> {
    [("reads", reads), ("writes", writes)]
        .into_iter()
        .map(|(name, pool)| PoolStats {
            name,
            open: pool.size(),
            idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            max: pool.options().get_max_connections(),
        })
        .collect()
}
