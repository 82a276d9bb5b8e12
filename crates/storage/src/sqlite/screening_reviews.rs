//! Reviewed false positives (migration 0010).

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use uuid::Uuid;
use verifyd_domain::repository::{RepositoryError, ScreeningReview};
use verifyd_domain::timestamp::{from_millis, to_millis};

use super::read;
use super::rows;
use crate::error::backend;

pub(super) async fn insert(
    pool: &SqlitePool,
    review: &ScreeningReview,
) -> Result<(), RepositoryError> {
    sqlx::query(
        "INSERT INTO screening_reviews (tenant_id, account_id, list, entry_id, entry_version, search_id, reviewed_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, list, entry_id) DO UPDATE SET \
         entry_version = excluded.entry_version, search_id = excluded.search_id, reviewed_at = excluded.reviewed_at",
    )
    .bind(review.tenant_id.to_string())
    .bind(review.account_id.to_string())
    .bind(&review.list)
    .bind(&review.entry_id)
    .bind(&review.entry_version)
    .bind(review.search_id.to_string())
    .bind(to_millis(review.reviewed_at))
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn of_account(
    pool: &SqlitePool,
    tenant: Uuid,
    account: Option<Uuid>,
) -> Result<Vec<ScreeningReview>, RepositoryError> {
    let query = sqlx::query(
        "SELECT * FROM screening_reviews WHERE tenant_id = ? AND (? IS NULL OR account_id = ?) \
         ORDER BY account_id, list, entry_id",
    )
    .bind(tenant.to_string())
    .bind(account.map(|id| id.to_string()))
    .bind(account.map(|id| id.to_string()));
    read::all(pool, query, review_of).await
}

fn review_of(row: &SqliteRow) -> Result<ScreeningReview, RepositoryError> {
    Ok(ScreeningReview {
        tenant_id: rows::uuid(row, "tenant_id")?,
        account_id: rows::uuid(row, "account_id")?,
        list: row.try_get("list").map_err(backend)?,
        entry_id: row.try_get("entry_id").map_err(backend)?,
        entry_version: row.try_get("entry_version").map_err(backend)?,
        search_id: rows::uuid(row, "search_id")?,
        reviewed_at: from_millis(row.try_get("reviewed_at").map_err(backend)?),
    })
}
