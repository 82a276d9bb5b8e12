//! The callback outbox: queued with the state change it reports, leased by deliverers (with
//! `FOR UPDATE SKIP LOCKED`, as jobs are: see `jobs`), retried, delivered or given up.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Row};
use uuid::Uuid;
use verifyd_domain::repository::{
    CallbackAttempt, CallbackRecord, CallbackState, ClaimedCallback, NewCallback, RepositoryError,
};
use verifyd_domain::timestamp::to_millis;

use super::{read, rows, Tx};
use crate::error::backend;

pub(super) async fn insert_callback(
    tx: &mut Tx<'_>,
    callback: &NewCallback,
) -> Result<(), RepositoryError> {
    sqlx::query(
        "INSERT INTO callbacks (id, tenant_id, account_id, execution_id, definition_key, status, \
         user_reference, url, created_at, next_attempt_at, api, search_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11)",
    )
    .bind(callback.id)
    .bind(callback.tenant_id)
    .bind(callback.account_id)
    .bind(callback.execution_id)
    .bind(i64::from(callback.definition_key))
    .bind(callback.status.as_str())
    .bind(&callback.user_reference)
    .bind(&callback.url)
    .bind(to_millis(callback.created_at))
    .bind(callback.api.as_str())
    .bind(callback.search_id)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// A netverify callback carries the transaction's data: once that is deleted, it is not sent.
/// `owner` is the column naming what was deleted (`account_id` or `execution_id`).
pub(super) async fn cancel_netverify(
    tx: &mut Tx<'_>,
    owner: &'static str,
    id: Uuid,
    tenant: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepositoryError> {
    sqlx::query(&format!(
        "UPDATE callbacks SET gave_up_at = $1 WHERE {owner} = $2 AND tenant_id = $3 \
         AND api IN ('NETVERIFY_V4', 'PERFORM_NETVERIFY') AND delivered_at IS NULL AND gave_up_at IS NULL"
    ))
    .bind(to_millis(now))
    .bind(id)
    .bind(tenant)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Leases the oldest callback due for an attempt, skipping those another claim has locked.
pub(super) async fn claim(
    pool: &PgPool,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    lease_token: Uuid,
) -> Result<Option<ClaimedCallback>, RepositoryError> {
    let row = sqlx::query(
        "UPDATE callbacks SET lease_until = $1, lease_token = $2 WHERE id = (SELECT id FROM callbacks \
         WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $3 \
         AND (lease_until IS NULL OR lease_until <= $3) ORDER BY next_attempt_at LIMIT 1 \
         FOR UPDATE SKIP LOCKED) RETURNING *",
    )
    .bind(to_millis(lease_until))
    .bind(lease_token)
    .bind(to_millis(now))
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    let Some(row) = row else { return Ok(None) };
    let attempts = row.try_get::<i64, _>("attempts").map_err(backend)?;
    Ok(Some(ClaimedCallback {
        callback: rows::callback(&row)?,
        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
        lease_token,
    }))
}

/// Records an attempt and what follows it, if the lease is still held.
pub(super) async fn finish_attempt(
    pool: &PgPool,
    claimed: &ClaimedCallback,
    attempt: &CallbackAttempt,
    state: CallbackState,
) -> Result<(), RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    // A callback given up meanwhile (its netverify transaction was deleted) stays given up,
    // whatever the deliverer that held it reports.
    let (delivered, gave_up, next) = match state {
        CallbackState::Delivered => (Some(to_millis(attempt.attempted_at)), None, None),
        CallbackState::GaveUp => (None, Some(to_millis(attempt.attempted_at)), None),
        CallbackState::RetryAt(at) => (None, None, Some(to_millis(at))),
    };
    let held = sqlx::query(
        "UPDATE callbacks SET attempts = attempts + 1, delivered_at = $1, gave_up_at = $2, \
         next_attempt_at = COALESCE($3, next_attempt_at), lease_until = NULL, lease_token = NULL \
         WHERE id = $4 AND lease_token = $5 AND delivered_at IS NULL AND gave_up_at IS NULL",
    )
    .bind(delivered)
    .bind(gave_up)
    .bind(next)
    .bind(claimed.callback.id)
    .bind(claimed.lease_token)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if held.rows_affected() == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO callback_attempts (callback_id, attempt, attempted_at, status_code, error, duration_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(claimed.callback.id)
    .bind(i64::from(claimed.attempts) + 1)
    .bind(to_millis(attempt.attempted_at))
    .bind(attempt.status_code.map(i64::from))
    .bind(&attempt.error)
    .bind(i64::try_from(attempt.duration_ms).unwrap_or(i64::MAX))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    tx.commit().await.map_err(backend)
}

/// The callbacks of one execution of the tenant, oldest first, with their attempts.
pub(super) async fn of_execution(
    pool: &PgPool,
    tenant: Uuid,
    execution: Uuid,
) -> Result<Vec<CallbackRecord>, RepositoryError> {
    let query = sqlx::query(
        "SELECT * FROM callbacks WHERE tenant_id = $1 AND execution_id = $2 ORDER BY created_at",
    )
    .bind(tenant)
    .bind(execution);
    let mut records = read::all(pool, query, rows::callback_record).await?;
    for record in &mut records {
        let query =
            sqlx::query("SELECT * FROM callback_attempts WHERE callback_id = $1 ORDER BY attempt")
                .bind(record.callback.id);
        record.attempts = read::all(pool, query, rows::callback_attempt).await?;
    }
    Ok(records)
}
