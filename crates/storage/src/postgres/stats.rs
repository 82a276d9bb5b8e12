//! What `/metrics` reads of the database: the processing queue at one moment and the pool.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Row};
use verifyd_domain::repository::{PoolStats, QueueStats, RepositoryError};
use verifyd_domain::timestamp::{from_millis, to_millis};

use crate::error::backend;

/// One pass over the jobs table. A job is due when a claim would take it: its time has come
/// and its lease, if any, ran out (a row a claim holds locked this instant still counts).
pub(super) async fn queue(
    pool: &PgPool,
    now: DateTime<Utc>,
) -> Result<QueueStats, RepositoryError> {
    let row = sqlx::query(
        "SELECT \
           COUNT(*) FILTER (WHERE run_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)) AS due, \
           COUNT(*) FILTER (WHERE lease_until > $1) AS leased, \
           MIN(run_at) FILTER (WHERE run_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)) AS oldest_due_at \
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

/// The one pool of reads and writes (the listening connection is apart from it).
pub(super) fn pools(pool: &PgPool) -> Vec<PoolStats> {
    vec![PoolStats {
        name: "main",
        open: pool.size(),
        idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
        max: pool.options().get_max_connections(),
    }]
}
