//! Turns of periodic work and the initiations' log (migration 0007). SQLite serves one node,
//! but its processes (`serve` and `worker`) share the file, and the rule is the same as on
//! PostgreSQL: a turn is one upsert that succeeds only when the last turn is old enough, an
//! initiation is counted and recorded in one write transaction (SQLite's one writer serialises
//! them).

use chrono::{DateTime, Duration, Utc};
use sqlx::{Row, SqlitePool};
use uuid::Uuid;
use verifyd_domain::repository::{PeriodicTask, RepositoryError};
use verifyd_domain::rules::rate_limit::{self, RateLimits};
use verifyd_domain::timestamp::{from_millis, to_millis};

use crate::error::backend;

pub(super) async fn take_turn(
    pool: &SqlitePool,
    task: PeriodicTask,
    node: Uuid,
    now: DateTime<Utc>,
    every: Duration,
) -> Result<bool, RepositoryError> {
    let taken = sqlx::query(
        "INSERT INTO periodic_turns (task, taken_at, taken_by) VALUES (?, ?, ?) \
         ON CONFLICT (task) DO UPDATE SET taken_at = excluded.taken_at, taken_by = excluded.taken_by \
         WHERE periodic_turns.taken_at <= ?",
    )
    .bind(task.name())
    .bind(to_millis(now))
    .bind(node.to_string())
    .bind(to_millis(now - every))
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(taken.rows_affected() == 1)
}

pub(super) async fn admit_initiation(
    pool: &SqlitePool,
    tenant: Uuid,
    now: DateTime<Utc>,
    limits: RateLimits,
) -> Result<Result<(), u64>, RepositoryError> {
    let tenant = tenant.to_string();
    let mut tx = pool.begin().await.map_err(backend)?;
    sqlx::query("DELETE FROM initiations WHERE tenant_id = ? AND at <= ?")
        .bind(&tenant)
        .bind(to_millis(now - rate_limit::WINDOW))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    let recent: Vec<DateTime<Utc>> = sqlx::query("SELECT at FROM initiations WHERE tenant_id = ?")
        .bind(&tenant)
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?
        .iter()
        .map(|row| row.try_get::<i64, _>("at").map(from_millis))
        .collect::<Result<_, _>>()
        .map_err(backend)?;
    let admitted = rate_limit::admit(&recent, now, limits);
    if admitted.is_ok() {
        sqlx::query("INSERT INTO initiations (tenant_id, at) VALUES (?, ?)")
            .bind(&tenant)
            .bind(to_millis(now))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    }
    tx.commit().await.map_err(backend)?;
    Ok(admitted)
}
