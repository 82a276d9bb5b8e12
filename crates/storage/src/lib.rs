//! Storage backends. The backend (SQLite or PostgreSQL) is chosen by the URL's scheme, each
//! backend owns its migrations, and the domain sees only its `Repository` and `BlobStore` traits.

mod blobs;
mod error;
mod postgres;
pub mod private_files;
mod sqlite;
mod wake;

use std::path::Path;
use std::sync::Arc;

pub use blobs::ObjectBlobStore;
pub use error::StorageError;
pub use postgres::PostgresRepository;
pub use sqlite::SqliteRepository;
use verifyd_domain::blob_store::BlobStore;
use verifyd_domain::repository::Repository;

/// How the records' database is opened, beyond its URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepositoryOptions {
    /// The most connections the repository's pool holds at once; unset, the backend's default:
    /// PostgreSQL 10 (plus the one connection that listens for due jobs), SQLite 8 readers
    /// (writes always go through SQLite's one writer).
    pub max_connections: Option<u32>,
}

impl RepositoryOptions {
    /// `max_connections`, or `default` when unset; zero is refused.
    pub(crate) fn max_connections_or(&self, default: u32) -> Result<u32, StorageError> {
        match self.max_connections {
            Some(0) => Err(StorageError::Config(
                "the database's max_connections must be at least 1".to_owned(),
            )),
            Some(max) => Ok(max),
            None => Ok(default),
        }
    }
}

/// Opens the records' database and brings its schema up to date.
/// `sqlite://PATH` (created if missing) is the embedded default; `postgres://` (or
/// `postgresql://`) URLs open a PostgreSQL database, which must exist.
pub async fn open_repository(
    url: &str,
    options: &RepositoryOptions,
) -> Result<Arc<dyn Repository>, StorageError> {
    match url.split_once("://").map(|(scheme, _)| scheme) {
        Some("sqlite") => Ok(Arc::new(SqliteRepository::open(url, options).await?)),
        Some("postgres" | "postgresql") => {
            Ok(Arc::new(PostgresRepository::open(url, options).await?))
        }
        Some(scheme) => Err(StorageError::UnsupportedScheme(format!(
            "{scheme}:// (supported: sqlite://, postgres://, postgresql://)"
        ))),
        None => Err(StorageError::UnsupportedScheme(format!(
            "{url:?} is not a URL"
        ))),
    }
}

/// Opens the blob store: `file:///ABSOLUTE/DIR` keeps blobs as files below that directory.
pub fn open_blob_store(url: &str) -> Result<Arc<dyn BlobStore>, StorageError> {
    let parsed = url::Url::parse(url)
        .map_err(|error| StorageError::Config(format!("blob store URL {url:?}: {error}")))?;
    match parsed.scheme() {
        "file" => {
            let path = parsed.to_file_path().map_err(|()| {
                StorageError::Config(format!("{url:?} is not an absolute file URL"))
            })?;
            Ok(Arc::new(ObjectBlobStore::local(Path::new(&path))?))
        }
        scheme => Err(StorageError::UnsupportedScheme(format!(
            "{scheme}:// (supported: file://)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_size_defaults_per_backend_and_is_never_zero() {
        let unset = RepositoryOptions::default();
        assert_eq!(unset.max_connections_or(10).ok(), Some(10));
        let set = RepositoryOptions {
            max_connections: Some(3),
        };
        assert_eq!(set.max_connections_or(10).ok(), Some(3));
        let zero = RepositoryOptions {
            max_connections: Some(0),
        };
        assert!(matches!(
            zero.max_connections_or(10),
            Err(StorageError::Config(_))
        ));
    }

    #[tokio::test]
    async fn an_unknown_scheme_names_the_supported_ones() {
        let opened = open_repository("mysql://db/verifyd", &RepositoryOptions::default()).await;
        assert!(matches!(
            opened,
            Err(StorageError::UnsupportedScheme(message))
                if message.contains("postgres://") && message.contains("sqlite://")
        ));
    }
}
