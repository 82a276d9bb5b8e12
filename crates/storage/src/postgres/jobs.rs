//! Processing jobs: queued by finalize, leased by claims, given back, completed or dropped.
//!
//! Several workers claim at once, in several processes. A claim is one statement that picks the
//! oldest due job and leases it; the pick locks the row it takes and skips rows that another
//! claim has locked (`FOR UPDATE SKIP LOCKED`), so concurrent claims take different jobs and never
//! wait on each other. Without it, a claim that finds its job leased meanwhile (at READ
//! COMMITTED an UPDATE re-checks only its own conditions, not the subquery that chose the row)
//! would lease that job a second time.
//!
//! Whatever makes a job due (finalize, a job given back) announces it with `pg_notify` in the
//! same transaction, delivered to every listening process when it commits (`listen`).

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Row};
use uuid::Uuid;
use verifyd_domain::repository::RepositoryError;
use verifyd_domain::repository::{ClaimedJob, DocumentFingerprint, Job, NewCallback};
use verifyd_domain::timestamp::to_millis;

use super::callbacks::insert_callback;
use super::data_keys;
use super::listen::JOBS_CHANNEL;
use super::{json, rows};
use crate::error::backend;
use crate::sealing::{Column, Sealing};

/// INITIATED -> ACQUIRED and the processing job, announced, in one transaction.
pub(super) async fn finalize(
    pool: &PgPool,
    execution: Uuid,
    at: DateTime<Utc>,
    job: &Job,
    callback: Option<&NewCallback>,
) -> Result<bool, RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    let moved = sqlx::query(
        "UPDATE workflow_executions SET status = 'ACQUIRED', acquired_at = $1 \
         WHERE id = $2 AND status = 'INITIATED'",
    )
    .bind(to_millis(at))
    .bind(execution)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if moved.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO jobs (id, kind, execution_id, run_at, attempts, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(job.id)
    .bind(job.kind)
    .bind(job.execution_id)
    .bind(to_millis(job.run_at))
    .bind(to_millis(job.created_at))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if let Some(callback) = callback {
        insert_callback(&mut tx, callback).await?;
    }
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(JOBS_CHANNEL)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    tx.commit().await.map_err(backend)?;
    Ok(true)
}

/// Leases the oldest due job whose lease is free or ran out; see the module's comment.
pub(super) async fn claim(
    pool: &PgPool,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    lease_token: Uuid,
) -> Result<Option<ClaimedJob>, RepositoryError> {
    sqlx::query(
        "UPDATE jobs SET lease_until = $1, lease_token = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE run_at <= $3 AND (lease_until IS NULL OR lease_until <= $3) \
         ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
         RETURNING id, kind, execution_id, attempts, lease_token",
    )
    .bind(to_millis(lease_until))
    .bind(lease_token)
    .bind(to_millis(now))
    .fetch_optional(pool)
    .await
    .map_err(backend)?
    .map(|row| rows::claimed_job(&row))
    .transpose()
}

/// ACQUIRED -> PROCESSED, the job removed, the callback queued and the documents remembered,
/// in one transaction, only while `job`'s lease is held.
pub(super) async fn complete(
    pool: &PgPool,
    sealing: &Sealing,
    job: &ClaimedJob,
    outcome: &serde_json::Value,
    completed_at: DateTime<Utc>,
    callback: Option<&NewCallback>,
    verified_documents: &[DocumentFingerprint],
) -> Result<bool, RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    // The execution's row first, then the job's: the order in which a deletion of the execution
    // takes them (its cascade reaches the job), so that the two never wait on each other.
    let owner = sqlx::query(
        "SELECT tenant_id, account_id FROM workflow_executions WHERE id = $1 FOR UPDATE",
    )
    .bind(job.execution_id)
    .fetch_optional(&mut *tx)
    .await
    .map_err(backend)?;
    let held = sqlx::query("DELETE FROM jobs WHERE id = $1 AND lease_token = $2")
        .bind(job.id)
        .bind(job.lease_token)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    if held.rows_affected() == 0 {
        return Ok(false);
    }
    let Some(owner) = owner else {
        // The execution is gone: drop the job, report nothing.
        tx.commit().await.map_err(backend)?;
        return Ok(false);
    };
    let tenant: Uuid = owner.try_get("tenant_id").map_err(backend)?;
    let account: Uuid = owner.try_get("account_id").map_err(backend)?;
    let key = data_keys::get_or_create(&mut tx, sealing, tenant, account).await?;
    let sealed = sealing.seal(&key, Column::Outcome, job.execution_id, &json(outcome)?)?;
    let moved = sqlx::query(
        "UPDATE workflow_executions SET status = 'PROCESSED', outcome = $1, completed_at = $2 \
         WHERE id = $3 AND status = 'ACQUIRED'",
    )
    .bind(sealed)
    .bind(to_millis(completed_at))
    .bind(job.execution_id)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if moved.rows_affected() == 0 {
        // The execution is gone or was processed: drop the job, report nothing.
        tx.commit().await.map_err(backend)?;
        return Ok(false);
    }
    if let Some(callback) = callback {
        insert_callback(&mut tx, callback).await?;
    }
    for document in verified_documents {
        sqlx::query(
            "INSERT INTO document_fingerprints (tenant_id, fingerprint, account_id, execution_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(document.tenant_id)
        .bind(&document.fingerprint)
        .bind(document.account_id)
        .bind(document.execution_id)
        .bind(to_millis(completed_at))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    }
    tx.commit().await.map_err(backend)?;
    Ok(true)
}

/// Gives the job back for `run_at`, if the lease is still held, and announces it.
pub(super) async fn reschedule(
    pool: &PgPool,
    job: &ClaimedJob,
    run_at: DateTime<Utc>,
    error: &str,
) -> Result<(), RepositoryError> {
    // One statement (one transaction): the notification goes only with a job given back.
    sqlx::query(
        "WITH given_back AS (UPDATE jobs SET run_at = $1, lease_until = NULL, lease_token = NULL, \
         last_error = $2 WHERE id = $3 AND lease_token = $4 RETURNING id) \
         SELECT pg_notify($5, '') FROM given_back",
    )
    .bind(to_millis(run_at))
    .bind(error)
    .bind(job.id)
    .bind(job.lease_token)
    .bind(JOBS_CHANNEL)
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn discard(pool: &PgPool, job: &ClaimedJob) -> Result<(), RepositoryError> {
    sqlx::query("DELETE FROM jobs WHERE id = $1 AND lease_token = $2")
        .bind(job.id)
        .bind(job.lease_token)
        .execute(pool)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn overdue(pool: &PgPool, before: DateTime<Utc>) -> Result<u64, RepositoryError> {
    let row = sqlx::query("SELECT COUNT(*) AS overdue FROM jobs WHERE run_at < $1")
        .bind(to_millis(before))
        .fetch_one(pool)
        .await
        .map_err(backend)?;
    let count = row.try_get::<i64, _>("overdue").map_err(backend)?;
    Ok(u64::try_from(count).unwrap_or(0))
}
