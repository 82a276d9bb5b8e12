//! Storage backends. The backend is chosen by the URL's scheme, each backend owns its migrations,
//! and the domain sees only its `Repository` and `BlobStore` traits.

mod blobs;
mod error;
pub mod private_files;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

pub use blobs::ObjectBlobStore;
pub use error::StorageError;
pub use sqlite::SqliteRepository;
use verifyd_domain::blob_store::BlobStore;
use verifyd_domain::repository::Repository;

/// Opens the records' database and brings its schema up to date.
/// `sqlite://PATH` (created if missing) is the embedded default.
pub async fn open_repository(url: &str) -> Result<Arc<dyn Repository>, StorageError> {
    match url.split_once("://").map(|(scheme, _)| scheme) {
        Some("sqlite") => Ok(Arc::new(SqliteRepository::open(url).await?)),
        Some(scheme) => Err(StorageError::UnsupportedScheme(format!(
            "{scheme}:// (supported: sqlite://)"
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
