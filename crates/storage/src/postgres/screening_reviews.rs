//! Reviewed false positives (PostgreSQL).

use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};
use uuid::Uuid;
use verifyd_domain::repository::{RepositoryError, ScreeningReview};
use verifyd_domain::timestamp::{from_millis, to_millis};

use super::read;
use crate::error::backend;

pub(super) async fn insert(pool: &PgPool, review: &ScreeningReview) -> Result<(), RepositoryError> {
    sqlx::query(
        "INSERT INTO screening_reviews (tenant_id, account_id, list, entry_id, entry_version, search_id, reviewed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id, list, entry_id) DO UPDATE SET \
         entry_version = excluded.entry_version, search_id = excluded.search_id, reviewed_at = excluded.reviewed_at",
    )
    .bind(review.tenant_id)
    .bind(review.account_id)
    .bind(&review.list)
    .bind(&review.entry_id)
    .bind(&review.entry_version)
    .bind(review.search_id)
    .bind(to_millis(review.reviewed_at))
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn of_account(
    pool: &PgPool,
    tenant: Uuid,
    account: Option<Uuid>,
) -> Result<Vec<ScreeningReview>, RepositoryError> {
    let query = sqlx::query(
        "SELECT * FROM screening_reviews WHERE tenant_id = $1 AND ($2::uuid IS NULL OR account_id = $2) \
         ORDER BY account_id, list, entry_id",
    )
    .bind(tenant)
    .bind(account);
    read::all(pool, query, review_of).await
}

fn review_of(row: &PgRow) -> Result<ScreeningReview, RepositoryError> {
    Ok(ScreeningReview {
        tenant_id: row.try_get("tenant_id").map_err(backend)?,
        account_id: row.try_get("account_id").map_err(backend)?,
        list: row.try_get("list").map_err(backend)?,
        entry_id: row.try_get("entry_id").map_err(backend)?,
        entry_version: row.try_get("entry_version").map_err(backend)?,
        search_id: row.try_get("search_id").map_err(backend)?,
        reviewed_at: from_millis(row.try_get("reviewed_at").map_err(backend)?),
    })
}
