//! `verifyd migrate`: moving a single-node installation (SQLite and files) to PostgreSQL and an
//! S3-compatible store, so that it can run as several nodes. A run copies everything and
//! proves the copy (row counts and checksums per table, SHA-256 per blob); it can be repeated
//! at will, each run making the target a mirror of the source as it is then. That is what
//! lets a live installation move with a short stop: copy while it serves, stop it, copy again
//! (only what changed moves), start the new nodes.

mod batch;
mod blobs;
mod records;
mod schema;
mod value;

use std::path::Path;

use uuid::Uuid;

use crate::{open_object_blob_store, BlobStoreOptions};

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("{0}")]
    Refused(String),
    #[error("the source database: {0}")]
    Source(String),
    #[error("the target database: {0}")]
    Target(String),
    #[error("the two databases' schemas differ: {0}")]
    Schema(String),
    #[error(
        "table {table}: the copy does not match the source ({detail}); the target was left as \
         it was"
    )]
    Mismatch { table: String, detail: String },
    #[error("blobs: {0}")]
    Blob(String),
}

impl MigrateError {
    fn source(error: sqlx::Error) -> Self {
        Self::Source(error.to_string())
    }

    fn target(error: sqlx::Error) -> Self {
        Self::Target(error.to_string())
    }
}

/// Which database a schema error is about.
#[derive(Clone, Copy, Debug)]
enum Side {
    Source,
    Target,
}

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Side::Source => "source",
            Side::Target => "target",
        })
    }
}

/// One table as copied and verified: the same rows and the same SHA-256 on both sides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    pub rows: u64,
    /// SHA-256, in hex, of the table's rows in primary-key order.
    pub checksum: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordsCopy {
    /// In the order they were copied (referenced tables first).
    pub tables: Vec<TableCopy>,
    /// Tables of the nodes' coordination, not copied, emptied on the target.
    pub emptied: Vec<String>,
    /// The installation's tenants: below `tenants/{id}/` every blob is theirs.
    pub tenants: Vec<Uuid>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlobsCopy {
    /// Written to the target and read back with the source's SHA-256.
    pub copied: u64,
    pub copied_bytes: u64,
    /// On the target already with the same size and SHA-256.
    pub already_there: u64,
    /// Of every blob of the source, copied or already there.
    pub total_bytes: u64,
    /// Listed in the source, gone before they were read (deleted meanwhile).
    pub vanished: u64,
    /// On the target below a tenant of this installation but no longer in the source.
    pub deleted: u64,
    /// On the target, not in the source, and not below a tenant of this installation.
    pub left_in_place: u64,
}

/// The file of a `sqlite://` URL, as the SQLite backend reads it.
pub fn sqlite_file(url: &str) -> Result<std::path::PathBuf, MigrateError> {
    use std::str::FromStr;
    sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .map(|options| options.get_filename().to_path_buf())
        .map_err(|error| MigrateError::Source(format!("{url}: {error}")))
}

/// Copies every record of the SQLite database `from` (`sqlite://PATH`, which must exist) to the
/// PostgreSQL database `to`, whose schema is created or brought up to date, in one transaction
/// that commits only once every table's rows and checksum match.
pub async fn copy_records(from: &str, to: &str) -> Result<RecordsCopy, MigrateError> {
    records::copy(from, to).await
}

/// Copies every blob of the store `from` to the store `to` (see [`crate::open_blob_store`];
/// `options` reaches an `s3://` store), except the health probes, and deletes from `to` the
/// blobs below `tenants/{id}/` for a tenant of `tenants` that `from` no longer holds.
pub async fn copy_blobs(
    from: &str,
    to: &str,
    options: &BlobStoreOptions,
    tenants: &[Uuid],
) -> Result<BlobsCopy, MigrateError> {
    if from.trim_end_matches('/') == to.trim_end_matches('/') {
        return Err(MigrateError::Refused(
            "--blobs-from and --blobs-to name the same store".to_owned(),
        ));
    }
    if let Some(directory) = url::Url::parse(from)
        .ok()
        .filter(|url| url.scheme() == "file")
        .and_then(|url| url.to_file_path().ok())
    {
        if !Path::new(&directory).is_dir() {
            return Err(MigrateError::Blob(format!(
                "the source store {} does not exist (--blobs-from names the old \
                 installation's blob directory, e.g. file:///srv/verifyd/data/blobs/)",
                directory.display()
            )));
        }
    }
    let open = |url: &str, side: &str| {
        // The S3 settings are for S3 stores; a file store would only warn that it ignores them.
        let none = BlobStoreOptions::default();
        let options = if url.starts_with("s3://") {
            options
        } else {
            &none
        };
        open_object_blob_store(url, options)
            .map_err(|error| MigrateError::Blob(format!("the {side} store: {error}")))
    };
    let source = open(from, "source")?;
    let target = open(to, "target")?;
    let owned: Vec<String> = tenants
        .iter()
        .map(|tenant| format!("tenants/{tenant}/"))
        .collect();
    blobs::copy(&source, &target, &owned).await
}
