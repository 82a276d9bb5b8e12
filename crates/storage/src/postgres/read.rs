//! Read-only queries end the same way: run on the pool, turn every row into a domain
//! value. Written once here so that each repository method shows only its SQL.

use sqlx::postgres::{PgArguments, PgRow, Postgres};
use sqlx::query::Query;
use sqlx::PgPool;
use verifyd_domain::repository::RepositoryError;

use crate::error::backend;

pub(super) type Select<'q> = Query<'q, Postgres, PgArguments>;

/// Every row the query finds.
pub(super) async fn all<T>(
    pool: &PgPool,
    query: Select<'_>,
    convert: impl Fn(&PgRow) -> Result<T, RepositoryError>,
) -> Result<Vec<T>, RepositoryError> {
    query
        .fetch_all(pool)
        .await
        .map_err(backend)?
        .iter()
        .map(convert)
        .collect()
}

/// The one row the query finds, if any.
pub(super) async fn optional<T>(
    pool: &PgPool,
    query: Select<'_>,
    convert: impl Fn(&PgRow) -> Result<T, RepositoryError>,
) -> Result<Option<T>, RepositoryError> {
    query
        .fetch_optional(pool)
        .await
        .map_err(backend)?
        .map(|row| convert(&row))
        .transpose()
}
