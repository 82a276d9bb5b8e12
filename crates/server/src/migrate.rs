//! `verifyd migrate`: the storage crate copies and verifies (`verifyd_storage::migrate`); this
//! adds what the operator must know and the settings only the server reads: how the S3 target
//! is reached (`[blob_store_s3]`, the `AWS_*` variables), and where the old installation's
//! master key is, without which the copied server secrets do not open.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use verifyd_storage::migrate::{self, BlobsCopy, MigrateError, RecordsCopy};

use crate::config::Settings;

/// What to copy: the records always, the blobs when both stores are named.
#[derive(Clone, Debug)]
pub struct MigrateRequest {
    pub from: String,
    pub to: String,
    pub blobs: Option<BlobStores>,
}

#[derive(Clone, Debug)]
pub struct BlobStores {
    pub from: String,
    pub to: String,
}

/// What a run copied and verified, printed for the operator.
#[derive(Clone, Debug)]
pub struct MigrateReport {
    pub from: String,
    pub to: String,
    pub records: RecordsCopy,
    pub records_took: Duration,
    pub blobs: Option<(BlobStores, BlobsCopy, Duration)>,
    /// The old installation's key file, when it lies beside its database as by default.
    pub master_key_file: Option<PathBuf>,
}

/// Copies the records, then the blobs: a blob uploaded meanwhile is copied before its record,
/// never a record before its blob (the next run copies the record).
pub async fn migrate(
    settings: &Settings,
    request: MigrateRequest,
) -> Result<MigrateReport, MigrateError> {
    let started = Instant::now();
    let records = migrate::copy_records(&request.from, &request.to).await?;
    let records_took = started.elapsed();
    let blobs = match &request.blobs {
        Some(stores) => {
            let started = Instant::now();
            let copied = migrate::copy_blobs(
                &stores.from,
                &stores.to,
                &settings.blob_store_options(),
                &records.tenants,
            )
            .await?;
            Some((stores.clone(), copied, started.elapsed()))
        }
        None => None,
    };
    let master_key_file = migrate::sqlite_file(&request.from)
        .ok()
        .and_then(|database| Some(database.parent()?.join("master.key")))
        .filter(|key| key.is_file())
        .and_then(|key| std::path::absolute(key).ok());
    Ok(MigrateReport {
        from: request.from,
        to: request.to,
        records,
        records_took,
        blobs,
        master_key_file,
    })
}

/// A URL as it may be printed: without its password.
fn shown(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

impl fmt::Display for MigrateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "records: {} -> {}: copied in one transaction, every table verified ({:.2} s)",
            shown(&self.from),
            shown(&self.to),
            self.records_took.as_secs_f64()
        )?;
        writeln!(f, "  {:<32} {:>8}  sha256", "table", "rows")?;
        for table in &self.records.tables {
            writeln!(
                f,
                "  {:<32} {:>8}  {}",
                table.table, table.rows, table.checksum
            )?;
        }
        writeln!(
            f,
            "  not copied: {} (the nodes' turns of periodic work and the last minute's \
             initiations, which the new nodes start afresh); emptied on the target",
            self.records.emptied.join(", ")
        )?;
        match &self.blobs {
            Some((stores, blobs, took)) => {
                writeln!(
                    f,
                    "blobs: {} -> {} ({:.2} s)",
                    shown(&stores.from),
                    shown(&stores.to),
                    took.as_secs_f64()
                )?;
                writeln!(
                    f,
                    "  {} in the source, {} bytes: {} copied ({} bytes) and read back with the \
                     same SHA-256, {} already on the target with the same SHA-256",
                    blobs.copied + blobs.already_there,
                    blobs.total_bytes,
                    blobs.copied,
                    blobs.copied_bytes,
                    blobs.already_there
                )?;
                writeln!(
                    f,
                    "  {} deleted from the target (of this installation's tenants, no longer in \
                     the source); {} other blobs on the target left in place; {} deleted from \
                     the source while copying",
                    blobs.deleted, blobs.left_in_place, blobs.vanished
                )?;
            }
            None => writeln!(
                f,
                "blobs: not copied (give --blobs-from and --blobs-to to copy them)"
            )?,
        }
        write!(
            f,
            "master key: the copied server secrets are sealed with the old installation's \
             master key; give every new node that same key: "
        )?;
        match &self.master_key_file {
            Some(file) => writeln!(
                f,
                "master_key_file = \"{}\" (found beside the database; or copy it to each node), \
                 or master_key = its base64",
                file.display()
            ),
            None => writeln!(
                f,
                "no master.key lies beside the database, so give them the master_key or \
                 master_key_file the old installation was configured with"
            ),
        }
    }
}
