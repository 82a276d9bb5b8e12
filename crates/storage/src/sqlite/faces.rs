//! Liveness challenges, frame fingerprints and face templates (migration 0005).

use sqlx::{Row, SqlitePool};
use uuid::Uuid;
use verifyd_domain::facemap::FaceTemplate;
use verifyd_domain::repository::{
    FaceEvidence, LivenessChallenge, RepositoryError, StoredFaceTemplate,
};
use verifyd_domain::timestamp::{from_millis, to_millis};

use super::data_keys;
use super::read;
use super::rows;
use crate::error::backend;
use crate::sealing::{self, Column, Sealing};

pub(super) async fn put_challenge(
    pool: &SqlitePool,
    challenge: &LivenessChallenge,
) -> Result<(), RepositoryError> {
    sqlx::query(
        "INSERT INTO liveness_challenges (credential_id, tenant_id, turns, issued_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (credential_id) DO UPDATE SET turns = excluded.turns, issued_at = excluded.issued_at",
    )
    .bind(challenge.credential_id.to_string())
    .bind(challenge.tenant_id.to_string())
    .bind(challenge.turns.join(","))
    .bind(to_millis(challenge.issued_at))
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn challenge(
    pool: &SqlitePool,
    credential: Uuid,
) -> Result<Option<LivenessChallenge>, RepositoryError> {
    let query = sqlx::query("SELECT * FROM liveness_challenges WHERE credential_id = ?")
        .bind(credential.to_string());
    read::optional(pool, query, |row| {
        let turns: String = row.try_get("turns").map_err(backend)?;
        Ok(LivenessChallenge {
            tenant_id: rows::uuid(row, "tenant_id")?,
            credential_id: rows::uuid(row, "credential_id")?,
            turns: turns
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            issued_at: from_millis(row.try_get("issued_at").map_err(backend)?),
        })
    })
    .await
}

pub(super) async fn fingerprints(
    pool: &SqlitePool,
    tenant: Uuid,
    except_execution: Uuid,
) -> Result<Vec<u64>, RepositoryError> {
    let query = sqlx::query(
        "SELECT fingerprint FROM liveness_frames WHERE tenant_id = ? AND execution_id != ?",
    )
    .bind(tenant.to_string())
    .bind(except_execution.to_string());
    read::all(pool, query, |row| {
        // Stored as SQLite's signed 64-bit integer: the same bits.
        let value: i64 = row.try_get("fingerprint").map_err(backend)?;
        Ok(u64::from_ne_bytes(value.to_ne_bytes()))
    })
    .await
}

pub(super) async fn record_evidence(
    pool: &SqlitePool,
    sealing: &Sealing,
    evidence: &FaceEvidence,
) -> Result<(), RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    let at = to_millis(evidence.recorded_at);
    for fingerprint in &evidence.frame_fingerprints {
        sqlx::query(
            "INSERT INTO liveness_frames (tenant_id, account_id, execution_id, fingerprint, created_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(evidence.tenant_id.to_string())
        .bind(evidence.account_id.to_string())
        .bind(evidence.execution_id.to_string())
        .bind(i64::from_ne_bytes(fingerprint.to_ne_bytes()))
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    }
    if let Some(template) = &evidence.template {
        let template = serde_json::to_string(template)
            .map_err(|error| RepositoryError::Corrupt(error.to_string()))?;
        let key =
            data_keys::get_or_create(&mut tx, sealing, evidence.tenant_id, evidence.account_id)
                .await?;
        let template =
            sealing.seal(&key, Column::FaceTemplate, evidence.execution_id, &template)?;
        sqlx::query(
            "INSERT INTO face_templates (tenant_id, account_id, execution_id, template, created_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (execution_id) DO UPDATE SET template = excluded.template",
        )
        .bind(evidence.tenant_id.to_string())
        .bind(evidence.account_id.to_string())
        .bind(evidence.execution_id.to_string())
        .bind(template)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    }
    tx.commit().await.map_err(backend)
}

pub(super) async fn templates(
    pool: &SqlitePool,
    sealing: &Sealing,
    tenant: Uuid,
    except_account: Uuid,
) -> Result<Vec<StoredFaceTemplate>, RepositoryError> {
    let sql = format!(
        "SELECT account_id, execution_id, template, {} FROM face_templates \
         WHERE tenant_id = ? AND account_id != ?",
        sealing::data_key_of("face_templates.account_id")
    );
    let query = sqlx::query(&sql)
        .bind(tenant.to_string())
        .bind(except_account.to_string());
    read::all(pool, query, |row| {
        let account_id = rows::uuid(row, "account_id")?;
        let wrapped: Option<Vec<u8>> = row.try_get("data_key").map_err(backend)?;
        let text = sealing
            .open(
                row.try_get("template").map_err(backend)?,
                Column::FaceTemplate,
                rows::uuid(row, "execution_id")?,
                account_id,
                wrapped.as_deref(),
            )?
            .unwrap_or_default();
        let template: FaceTemplate = rows::parsed_json(&text)?;
        Ok(StoredFaceTemplate {
            account_id,
            template,
        })
    })
    .await
}
