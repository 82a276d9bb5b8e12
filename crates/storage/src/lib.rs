//! Storage backends. The backend (SQLite or PostgreSQL) is chosen by the URL's scheme, each
//! backend owns its migrations, and the domain sees only its `Repository` and `BlobStore` traits.

mod blobs;
mod document_rows;
mod error;
pub mod migrate;
mod postgres;
pub mod private_files;
mod profile_lists;
mod retention_rows;
mod sealing;
mod sqlite;
mod wake;

use std::path::Path;
use std::sync::Arc;

pub use blobs::{ObjectBlobStore, S3Options};
pub use error::StorageError;
pub use postgres::PostgresRepository;
pub use sqlite::SqliteRepository;
use verifyd_domain::blob_store::BlobStore;
use verifyd_domain::envelope::Envelope;
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
/// Personal columns are sealed with `envelope` (see `verifyd_domain::envelope`).
pub async fn open_repository(
    url: &str,
    options: &RepositoryOptions,
    envelope: Envelope,
) -> Result<Arc<dyn Repository>, StorageError> {
    match url.split_once("://").map(|(scheme, _)| scheme) {
        Some("sqlite") => Ok(Arc::new(
            SqliteRepository::open(url, options)
                .await?
                .sealed_with(envelope),
        )),
        Some("postgres" | "postgresql") => Ok(Arc::new(
            PostgresRepository::open(url, options)
                .await?
                .sealed_with(envelope),
        )),
        Some(scheme) => Err(StorageError::UnsupportedScheme(format!(
            "{scheme}:// (supported: sqlite://, postgres://, postgresql://)"
        ))),
        None => Err(StorageError::UnsupportedScheme(format!(
            "{url:?} is not a URL"
        ))),
    }
}

/// What `open_blob_store` needs besides the URL: how to reach an `s3://` store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlobStoreOptions {
    pub s3: S3Options,
}

/// Opens the blob store:
/// - `file:///ABSOLUTE/DIR` keeps blobs as files below that directory;
/// - `s3://BUCKET` or `s3://BUCKET/PREFIX` keeps them as objects of an S3 (or S3-compatible)
///   bucket, each key below `PREFIX` when given, reached as `options.s3` and the `AWS_*`
///   environment variables say. The bucket must exist: it is never created.
pub fn open_blob_store(
    url: &str,
    options: &BlobStoreOptions,
) -> Result<Arc<dyn BlobStore>, StorageError> {
    Ok(Arc::new(open_object_blob_store(url, options)?))
}

/// As [`open_blob_store`], the store itself rather than the domain's port: what `verifyd
/// migrate` lists and compares.
pub fn open_object_blob_store(
    url: &str,
    options: &BlobStoreOptions,
) -> Result<ObjectBlobStore, StorageError> {
    let parsed = url::Url::parse(url)
        .map_err(|error| StorageError::Config(format!("blob store URL {url:?}: {error}")))?;
    match parsed.scheme() {
        "file" => {
            let path = parsed.to_file_path().map_err(|()| {
                StorageError::Config(format!("{url:?} is not an absolute file URL"))
            })?;
            if !options.s3.is_empty() {
                tracing::warn!("the S3 settings are ignored: the blob store is {url}");
            }
            ObjectBlobStore::local(Path::new(&path))
        }
        "s3" => {
            let (bucket, prefix) = s3_location(&parsed)?;
            ObjectBlobStore::s3(bucket, prefix, &options.s3)
        }
        scheme => Err(StorageError::UnsupportedScheme(format!(
            "{scheme}:// (supported: file://, s3://)"
        ))),
    }
}

/// The bucket and key prefix of `s3://BUCKET[/PREFIX][/]`.
fn s3_location(url: &url::Url) -> Result<(&str, &str), StorageError> {
    // Not echoing the URL: it might carry a secret.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(StorageError::Config(
            "the s3:// blob store URL carries credentials; give them as blob_store_s3 settings \
             or AWS_* environment variables instead"
                .to_owned(),
        ));
    }
    if url.port().is_some() || url.query().is_some() || url.fragment().is_some() {
        return Err(StorageError::Config(format!(
            "blob store URL {url}: expected s3://BUCKET or s3://BUCKET/PREFIX (the endpoint is \
             a setting of its own)"
        )));
    }
    let bucket = url
        .host_str()
        .filter(|bucket| !bucket.is_empty())
        .ok_or_else(|| StorageError::Config(format!("blob store URL {url} names no bucket")))?;
    Ok((bucket, url.path().trim_matches('/')))
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

    struct Fixed;

    impl verifyd_domain::random::Random for Fixed {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(7);
        }
    }

    #[tokio::test]
    async fn an_unknown_scheme_names_the_supported_ones() {
        let keyring = verifyd_domain::keyring::Keyring::derive(&[1; 32]);
        let envelope = Envelope::new(&keyring, std::sync::Arc::new(Fixed));
        let opened = open_repository(
            "mysql://db/verifyd",
            &RepositoryOptions::default(),
            envelope,
        )
        .await;
        assert!(matches!(
            opened,
            Err(StorageError::UnsupportedScheme(message))
                if message.contains("postgres://") && message.contains("sqlite://")
        ));
    }

    fn location(url: &str) -> Result<(String, String), StorageError> {
        let parsed =
            url::Url::parse(url).map_err(|error| StorageError::Config(error.to_string()))?;
        s3_location(&parsed).map(|(bucket, prefix)| (bucket.to_owned(), prefix.to_owned()))
    }

    #[test]
    fn an_s3_url_names_the_bucket_and_the_prefix() -> Result<(), StorageError> {
        let own = |bucket: &str, prefix: &str| (bucket.to_owned(), prefix.to_owned());
        assert_eq!(location("s3://blobs")?, own("blobs", ""));
        assert_eq!(location("s3://blobs/")?, own("blobs", ""));
        assert_eq!(location("s3://blobs/verifyd")?, own("blobs", "verifyd"));
        assert_eq!(location("s3://blobs/a/b/")?, own("blobs", "a/b"));
        assert_eq!(location("s3://My.Bucket/x")?, own("My.Bucket", "x"));
        Ok(())
    }

    #[test]
    fn an_s3_url_without_a_bucket_or_with_more_is_refused() {
        for url in [
            "s3:///prefix",
            "s3://blobs:9000/x",
            "s3://blobs/x?region=eu",
            "s3://blobs/x#y",
        ] {
            assert!(
                matches!(location(url), Err(StorageError::Config(_))),
                "{url}"
            );
        }
    }

    #[test]
    fn credentials_in_an_s3_url_are_refused_without_echoing_them() {
        for url in ["s3://key:hunter2@blobs/x", "s3://key@blobs/x"] {
            let message = location(url).err().map(|error| error.to_string());
            assert!(
                message.as_ref().is_some_and(
                    |message| !message.contains("hunter2") && !message.contains("key@")
                ),
                "{url}: {message:?}"
            );
        }
    }

    #[test]
    fn an_unknown_blob_store_scheme_is_refused() {
        let options = BlobStoreOptions::default();
        assert!(matches!(
            open_blob_store("gs://blobs/x", &options),
            Err(StorageError::UnsupportedScheme(_))
        ));
        assert!(matches!(
            open_blob_store("s3://blobs/a//b", &options),
            Err(StorageError::Config(_))
        ));
    }

    #[test]
    fn the_secret_access_key_is_never_printed() {
        let options = BlobStoreOptions {
            s3: S3Options {
                access_key_id: Some("AKIDEXAMPLE".to_owned()),
                secret_access_key: Some("wJalrXUtnFEMI-secret".to_owned()),
                ..S3Options::default()
            },
        };
        let printed = format!("{options:?} {options:#?}");
        assert!(!printed.contains("wJalrXUtnFEMI"), "{printed}");
        assert!(printed.contains("AKIDEXAMPLE"), "{printed}");
    }
}
