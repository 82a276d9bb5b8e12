use verifyd_domain::repository::RepositoryError;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("unsupported storage URL scheme {0}")]
    UnsupportedScheme(String),
    #[error("storage configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrating the database: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("blob store: {0}")]
    Blob(#[from] object_store::Error),
}

pub(crate) fn backend(error: sqlx::Error) -> RepositoryError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            RepositoryError::Conflict(db.message().to_owned())
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => RepositoryError::Gone,
        _ => RepositoryError::Backend(error.to_string()),
    }
}
