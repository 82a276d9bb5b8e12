//! Read-only queries end the same way: run on the read pool, turn every row into a domain
//! value. Written once here so that each repository method shows only its SQL.

use sqlx::query::Query;
use sqlx::sqlite::{Sqlite, SqliteArguments, SqliteRow};
use sqlx::SqlitePool;
use verifyd_domain::repository::RepositoryError;

use crate::error::backend;

pub(super) type Select<'q> = Query<'q, Sqlite, SqliteArguments<'q>>;

/// Every row the query finds.
pub(super) async fn all<T>(
    pool: &SqlitePool,
    query: Select<'_>,
    convert: impl Fn(&SqliteRow) -> Result<T, RepositoryError>,
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
    pool: &SqlitePool,
    query: Select<'_>,
    convert: impl Fn(&SqliteRow) -> Result<T, RepositoryError>,
) -> Result<Option<T>, RepositoryError> {
    query
        .fetch_optional(pool)
        .await
        .map_err(backend)?
        .map(|row| convert(&row))
        .transpose()
}
