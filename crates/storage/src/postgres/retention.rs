//! Data retention (migration 0010): the tenants' settings, and what a sweep finds due.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};
use uuid::Uuid;
use verifyd_domain::model::{Retention, WorkflowExecution};
use verifyd_domain::repository::RepositoryError;
use verifyd_domain::timestamp::to_millis;

use super::{executions, read, rows};
use crate::error::backend;
use crate::sealing::Sealing;

pub(super) async fn set(
    pool: &PgPool,
    tenant: Uuid,
    retention: &Retention,
) -> Result<(), RepositoryError> {
    let updated = sqlx::query(
        "INSERT INTO retention_settings (tenant_id, days, delete_fraud) \
         SELECT id, $1, $2 FROM tenants WHERE id = $3 \
         ON CONFLICT (tenant_id) DO UPDATE SET days = excluded.days, delete_fraud = excluded.delete_fraud",
    )
    .bind(retention.days.map(i64::from))
    .bind(i64::from(retention.delete_fraud))
    .bind(tenant)
    .execute(pool)
    .await
    .map_err(backend)?;
    if updated.rows_affected() == 0 {
        return Err(RepositoryError::Gone);
    }
    Ok(())
}

pub(super) async fn all(pool: &PgPool) -> Result<Vec<(Uuid, Retention)>, RepositoryError> {
    let query = sqlx::query(
        "SELECT t.id, r.tenant_id AS set_for, r.days, r.delete_fraud FROM tenants t \
         LEFT JOIN retention_settings r ON r.tenant_id = t.id ORDER BY t.id",
    );
    read::all(pool, query, |row| {
        Ok((rows::uuid(row, "id")?, retention_of(row)?))
    })
    .await
}

fn retention_of(row: &PgRow) -> Result<Retention, RepositoryError> {
    let set_for: Option<Uuid> = row.try_get("set_for").map_err(backend)?;
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
    pool: &PgPool,
    sealing: &Sealing,
    tenant: Uuid,
    before: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u32,
) -> Result<Vec<WorkflowExecution>, RepositoryError> {
    // Before any real execution: creation at the epoch, the nil id.
    let (after_at, after_id) = after.unwrap_or((DateTime::UNIX_EPOCH, Uuid::nil()));
    let sql = executions(
        "WHERE tenant_id = $1 AND status IN ('PROCESSED', 'SESSION_EXPIRED', 'TOKEN_EXPIRED') \
         AND created_at < $2 AND (created_at > $3 OR (created_at = $4 AND id > $5)) \
         ORDER BY created_at, id LIMIT $6",
    );
    let query = sqlx::query(&sql)
        .bind(tenant)
        .bind(to_millis(before))
        .bind(to_millis(after_at))
        .bind(to_millis(after_at))
        .bind(after_id)
        .bind(i64::from(limit));
    read::all(pool, query, |row| rows::execution(row, sealing)).await
}
