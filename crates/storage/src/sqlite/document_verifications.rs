//! Document Verification transactions and their pages (migration 0011).

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use uuid::Uuid;
use verifyd_domain::model::{DocumentExtraction, DocumentPage, DocumentVerification};
use verifyd_domain::repository::{NewCallback, PagesOutcome, PagesStamp, RepositoryError};
use verifyd_domain::timestamp::to_millis;

use super::data_keys;
use super::{insert_callback, read, record_blob_deletions, rows};
use crate::document_rows::{self, Columns, VerificationRow};
use crate::error::backend;
use crate::sealing::{self, Column, Sealing};

pub(super) async fn insert(
    pool: &SqlitePool,
    verification: &DocumentVerification,
) -> Result<(), RepositoryError> {
    let request = &verification.request;
    let web = &request.web;
    let token = verification.initiation_token.as_ref();
    sqlx::query(
        "INSERT INTO document_verifications (id, tenant_id, source, document_type, country, \
         merchant_scan_reference, customer_id, merchant_reporting_criteria, callback_url, \
         enable_extraction, custom_document_code, client_ip, stage, created_at, updated_at, \
         success_url, error_url, authorization_token_lifetime, base_color, bg_color, \
         header_image_url, locale, initiation_token_hash, initiation_token_expires_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(verification.id.to_string())
    .bind(verification.tenant_id.to_string())
    .bind(verification.source.as_str())
    .bind(request.document_type.code())
    .bind(&request.country)
    .bind(&request.merchant_scan_reference)
    .bind(&request.customer_id)
    .bind(&request.merchant_reporting_criteria)
    .bind(&request.callback_url)
    .bind(i64::from(request.enable_extraction))
    .bind(&request.custom_document_code)
    .bind(&request.client_ip)
    .bind(verification.stage.as_str())
    .bind(to_millis(verification.created_at))
    .bind(to_millis(verification.updated_at))
    .bind(&web.success_url)
    .bind(&web.error_url)
    .bind(web.token_lifetime_seconds.map(i64::from))
    .bind(web.colors.as_ref().map(|colors| colors.base.as_str()))
    .bind(web.colors.as_ref().map(|colors| colors.background.as_str()))
    .bind(&web.header_image_url)
    .bind(&web.locale)
    .bind(token.map(|token| token.hash.as_str()))
    .bind(token.map(|token| to_millis(token.expires_at)))
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn by_id(
    pool: &SqlitePool,
    sealing: &Sealing,
    id: Uuid,
) -> Result<Option<DocumentVerification>, RepositoryError> {
    let sql = verifications("WHERE id = ?");
    let query = sqlx::query(&sql).bind(id.to_string());
    read::optional(pool, query, |row| verification_of(row, sealing)).await
}

pub(super) async fn by_token_hash(
    pool: &SqlitePool,
    sealing: &Sealing,
    token_hash: &str,
) -> Result<Option<DocumentVerification>, RepositoryError> {
    let sql = verifications("WHERE initiation_token_hash = ?");
    let query = sqlx::query(&sql).bind(token_hash.to_owned());
    read::optional(pool, query, |row| verification_of(row, sealing)).await
}

pub(super) async fn pages(
    pool: &SqlitePool,
    id: Uuid,
) -> Result<Vec<DocumentPage>, RepositoryError> {
    let query =
        sqlx::query("SELECT * FROM document_pages WHERE verification_id = ? ORDER BY number")
            .bind(id.to_string());
    read::all(pool, query, page_of).await
}

pub(super) async fn put_pages(
    pool: &SqlitePool,
    id: Uuid,
    pages: &[DocumentPage],
    original_blob: Option<&str>,
    replace_all: bool,
    stamp: &PagesStamp,
) -> Result<PagesOutcome, RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    let row = sqlx::query(
        "SELECT original_blob FROM document_verifications WHERE id = ? AND stage = 'ACQUIRING'",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *tx)
    .await
    .map_err(backend)?;
    let Some(row) = row else {
        return Ok(PagesOutcome::Closed);
    };
    let old_original: Option<String> = row.try_get("original_blob").map_err(backend)?;
    let existing = sqlx::query("SELECT * FROM document_pages WHERE verification_id = ?")
        .bind(id.to_string())
        .fetch_all(&mut *tx)
        .await
        .map_err(backend)?
        .iter()
        .map(page_of)
        .collect::<Result<Vec<_>, _>>()?;
    let mut replaced = document_rows::replaced_keys(&existing, pages, replace_all);
    if replace_all {
        sqlx::query("DELETE FROM document_pages WHERE verification_id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        replaced.extend(old_original);
    }
    for page in pages {
        sqlx::query(
            "INSERT INTO document_pages (verification_id, number, media_type, blob_key, text_layer) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (verification_id, number) DO UPDATE SET \
             media_type = excluded.media_type, blob_key = excluded.blob_key, text_layer = excluded.text_layer",
        )
        .bind(id.to_string())
        .bind(i64::from(page.number))
        .bind(page.image.as_ref().map(|image| image.media_type.as_str()))
        .bind(page.image.as_ref().map(|image| image.blob_key.as_str()))
        .bind(&page.text_layer)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    }
    sqlx::query(
        "UPDATE document_verifications SET updated_at = ?, source = ?, \
         initiation_token_expires_at = COALESCE(?, initiation_token_expires_at), \
         original_blob = CASE WHEN ? THEN ? ELSE original_blob END WHERE id = ?",
    )
    .bind(to_millis(stamp.at))
    .bind(stamp.source.as_str())
    .bind(stamp.link_expires_at.map(to_millis))
    .bind(replace_all)
    .bind(original_blob)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    tx.commit().await.map_err(backend)?;
    Ok(PagesOutcome::Stored { replaced })
}

pub(super) async fn finalize(
    pool: &SqlitePool,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, RepositoryError> {
    let done = sqlx::query(
        "UPDATE document_verifications SET stage = 'PROCESSING', updated_at = ? \
         WHERE id = ? AND stage = 'ACQUIRING'",
    )
    .bind(to_millis(now))
    .bind(id.to_string())
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn claim(
    pool: &SqlitePool,
    sealing: &Sealing,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    lease_token: Uuid,
) -> Result<Option<DocumentVerification>, RepositoryError> {
    let row = sqlx::query(
        "UPDATE document_verifications SET lease_until = ?, lease_token = ? \
         WHERE id = (SELECT id FROM document_verifications WHERE stage = 'PROCESSING' \
         AND (lease_until IS NULL OR lease_until <= ?) ORDER BY updated_at LIMIT 1) RETURNING *",
    )
    .bind(to_millis(lease_until))
    .bind(lease_token.to_string())
    .bind(to_millis(now))
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.as_ref()
        .map(|row| verification_of(row, sealing))
        .transpose()
}

pub(super) async fn complete(
    pool: &SqlitePool,
    sealing: &Sealing,
    id: Uuid,
    lease_token: Uuid,
    extraction: &DocumentExtraction,
    now: DateTime<Utc>,
    callback: Option<&NewCallback>,
) -> Result<bool, RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    let tenant = sqlx::query("SELECT tenant_id FROM document_verifications WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
    let Some(tenant) = tenant else {
        return Ok(false);
    };
    let tenant = rows::uuid(&tenant, "tenant_id")?;
    let key = data_keys::get_or_create(&mut tx, sealing, tenant, id).await?;
    let extraction = sealing.seal(
        &key,
        Column::Extraction,
        id,
        &document_rows::extraction_json(extraction)?,
    )?;
    let done = sqlx::query(
        "UPDATE document_verifications SET stage = 'DONE', extraction = ?, updated_at = ?, \
         lease_until = NULL, lease_token = NULL \
         WHERE id = ? AND stage = 'PROCESSING' AND lease_token = ?",
    )
    .bind(extraction)
    .bind(to_millis(now))
    .bind(id.to_string())
    .bind(lease_token.to_string())
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(callback) = callback {
        insert_callback(&mut tx, callback).await?;
    }
    tx.commit().await.map_err(backend)?;
    Ok(true)
}

pub(super) async fn stale(
    pool: &SqlitePool,
    sealing: &Sealing,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<DocumentVerification>, RepositoryError> {
    let sql = verifications(
        "WHERE stage = 'ACQUIRING' AND updated_at < ? \
         AND (initiation_token_expires_at IS NULL OR initiation_token_expires_at <= ?) \
         ORDER BY updated_at LIMIT ?",
    );
    let rows = sqlx::query(&sql)
        .bind(to_millis(before))
        .bind(to_millis(now))
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|row| verification_of(row, sealing))
        .collect()
}

pub(super) async fn fail(
    pool: &SqlitePool,
    id: Uuid,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
    callback: Option<&NewCallback>,
) -> Result<bool, RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    let failed = sqlx::query(
        "UPDATE document_verifications SET stage = 'FAILED', updated_at = ? \
         WHERE id = ? AND stage = 'ACQUIRING' AND updated_at < ? \
         AND (initiation_token_expires_at IS NULL OR initiation_token_expires_at <= ?)",
    )
    .bind(to_millis(now))
    .bind(id.to_string())
    .bind(to_millis(before))
    .bind(to_millis(now))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    if failed.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some(callback) = callback {
        insert_callback(&mut tx, callback).await?;
    }
    tx.commit().await.map_err(backend)?;
    Ok(true)
}

pub(super) async fn delete(
    pool: &SqlitePool,
    id: Uuid,
    blob_prefix: &str,
    now: DateTime<Utc>,
) -> Result<bool, RepositoryError> {
    let mut tx = pool.begin().await.map_err(backend)?;
    let done = sqlx::query("DELETE FROM document_verifications WHERE id = ?")
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    data_keys::destroy(&mut tx, id).await?;
    // Its callback carries the deleted data: one not delivered yet is not sent.
    sqlx::query(
        "UPDATE callbacks SET gave_up_at = ? WHERE execution_id = ? \
         AND api = 'DOCUMENT_VERIFICATION' AND delivered_at IS NULL AND gave_up_at IS NULL",
    )
    .bind(to_millis(now))
    .bind(id.to_string())
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    record_blob_deletions(&mut tx, &[blob_prefix.to_owned()], now).await?;
    tx.commit().await.map_err(backend)?;
    Ok(true)
}

/// Reads a row's columns, as `document_rows` asks for them.
fn read<T>(
    row: &SqliteRow,
    convert: impl Fn(&Columns<'_>) -> Result<T, RepositoryError>,
) -> Result<T, RepositoryError> {
    convert(&Columns {
        text: &|column| row.try_get::<String, _>(column).map_err(backend),
        optional: &|column| row.try_get::<Option<String>, _>(column).map_err(backend),
        number: &|column| row.try_get::<i64, _>(column).map_err(backend),
        optional_number: &|column| row.try_get::<Option<i64>, _>(column).map_err(backend),
        uuid: &|column| rows::uuid(row, column),
    })
}

/// The tenant's finished transactions created before `before`, oldest first.
pub(super) async fn finished_before(
    pool: &SqlitePool,
    sealing: &Sealing,
    tenant: Uuid,
    before: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<DocumentVerification>, RepositoryError> {
    let sql = verifications(
        "WHERE tenant_id = ? AND stage IN ('DONE', 'FAILED') AND created_at < ? \
         ORDER BY created_at, id LIMIT ?",
    );
    let query = sqlx::query(&sql)
        .bind(tenant.to_string())
        .bind(to_millis(before))
        .bind(i64::from(limit));
    read::all(pool, query, |row| verification_of(row, sealing)).await
}

/// The transactions the condition selects, each with its data key (as `verification_of` reads
/// them).
fn verifications(condition: &str) -> String {
    format!(
        "SELECT *, {} FROM document_verifications {condition}",
        sealing::data_key_of("document_verifications.id")
    )
}

/// A transaction's row, its extraction opened. A row without `data_key` (a claim's, which has
/// no extraction yet) opens nothing sealed.
fn verification_of(
    row: &SqliteRow,
    sealing: &Sealing,
) -> Result<DocumentVerification, RepositoryError> {
    let mut verification = read(row, VerificationRow::read)?;
    let wrapped: Option<Vec<u8>> = row.try_get("data_key").unwrap_or(None);
    verification.extraction = sealing.open(
        verification.extraction,
        Column::Extraction,
        verification.id,
        verification.id,
        wrapped.as_deref(),
    )?;
    verification.into_domain()
}

fn page_of(row: &SqliteRow) -> Result<DocumentPage, RepositoryError> {
    read(row, document_rows::page)
}
