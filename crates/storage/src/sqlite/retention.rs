//! Data retention (migration 0015): the tenants' settings, and what a sweep finds due.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use uuid::Uuid;
use verifyd_domain::model::{Retention, WorkflowExecution};
use verifyd_domain::repository::RepositoryError;
use verifyd_domain::timestamp::to_millis;

use super::{executions, read, rows};
use crate::error::backend;
use crate::sealing::Sealing;

pub(super) async fn set(
    pool: &SqlitePool,
    tenant: Uuid,
    retention: &Retention,
) -> Result<(), RepositoryError> {
    let updated = sqlx::query(
        "INSERT INTO retention_settings (tenant_id, days, delete_fraud) \
         SELECT id, ?, ? FROM tenants WHERE id = ? \
         ON CONFLICT (tenant_id) DO UPDATE SET days = excluded.days, delete_fraud = excluded.delete_fraud",
    )
    .bind(retention.days.map(i64::from))
    .bind(i64::from(retention.delete_fraud))
    .bind(tenant.to_string())
    .execute(pool)
    .await
    .map_err(backend)?;
    if updated.rows_affected() == 0 {
        return Err(RepositoryError::Gone);
    }
    Ok(())
}

pub(super) async fn all(pool: &SqlitePool) -> Result<Vec<(Uuid, Retention)>, RepositoryError> {
    let query = sqlx::query(
        "SELECT t.id, r.tenant_id AS set_for, r.days, r.delete_fraud FROM tenants t \
         LEFT JOIN retention_settings r ON r.tenant_id = t.id ORDER BY t.id",
    );
    read::all(pool, query, |row| {
        Ok((rows::uuid(row, "id")?, retention_of(row)?))
    })
    .await
}

fn retention_of(row: &SqliteRow) -> Result<Retention, RepositoryError> {
    let set_for: Option<String> = row.try_get("set_for").map_err(backend)?;
    crate::retention_rows::retention(
        set_for.is_some(),
        row.try_get("days").map_err(backend)?,
        // NULL only where no row was set, which `retention` reads as the default.
        row.try_get::<Option<i64>, _>("delete_fraud")
            .map_err(backend)?
            .unwrap_or(0),
    )
}

pub(super) async fn due(
    pool: &SqlitePool,
    sealing: &Sealing,
    tenant: Uuid,
    before: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u32,
) -> Result<Vec<WorkflowExecution>, RepositoryError> {
    // Before any real execution: creation at the epoch, the nil id.
    let (after_at, after_id) = after.unwrap_or((DateTime::UNIX_EPOCH, Uuid::nil()));
    let sql = executions(
        "WHERE tenant_id = ? AND status IN ('PROCESSED', 'SESSION_EXPIRED', 'TOKEN_EXPIRED') \
         AND created_at < ? AND (created_at > ? OR (created_at = ? AND id > ?)) \
         ORDER BY created_at, id LIMIT ?",
    );
    let query = sqlx::query(&sql)
        .bind(tenant.to_string())
        .bind(to_millis(before))
        .bind(to_millis(after_at))
        .bind(to_millis(after_at))
        .bind(after_id.to_string())
        .bind(i64::from(limit));
    read::all(pool, query, |row| rows::execution(row, sealing)).await
}
