//! The blobs: every blob of the source store that the target lacks, or holds with other bytes,
//! is written there and read back. A blob already on the target is compared by size and then
//! by SHA-256, so that a re-run copies only what changed and still proves what it skips.

use std::collections::HashMap;

use futures::{StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};
use verifyd_domain::blob_store::BlobStore;

use super::{BlobsCopy, MigrateError};
use crate::ObjectBlobStore;

/// Blobs in flight at once: an S3 request waits mostly on the network.
const CONCURRENT: usize = 8;

/// Written by every `/health` check and removed again; never an installation's data.
const PROBES: &str = "health/";

enum Outcome {
    Copied(u64),
    AlreadyThere(u64),
    /// Listed, then deleted from the source before it was read (an account deleted on the
    /// running installation); the next run deletes its copy, if any.
    Vanished,
}

pub(super) async fn copy(
    source: &ObjectBlobStore,
    target: &ObjectBlobStore,
    owned_prefixes: &[String],
) -> Result<BlobsCopy, MigrateError> {
    let source_keys: Vec<(String, u64)> = source
        .keys()
        .await
        .map_err(|error| MigrateError::Blob(format!("listing the source: {}", error.0)))?
        .into_iter()
        .filter(|(key, _)| !key.starts_with(PROBES))
        .collect();
    let target_keys: HashMap<String, u64> = target
        .keys()
        .await
        .map_err(|error| MigrateError::Blob(format!("listing the target: {}", error.0)))?
        .into_iter()
        .filter(|(key, _)| !key.starts_with(PROBES))
        .collect();

    let outcomes: Vec<Outcome> = futures::stream::iter(source_keys.iter())
        .map(|(key, _)| copy_one(source, target, key, target_keys.get(key).copied()))
        .buffer_unordered(CONCURRENT)
        .try_collect()
        .await?;

    let mut report = BlobsCopy::default();
    for outcome in outcomes {
        match outcome {
            Outcome::Copied(size) => {
                report.copied += 1;
                report.copied_bytes += size;
                report.total_bytes += size;
            }
            Outcome::AlreadyThere(size) => {
                report.already_there += 1;
                report.total_bytes += size;
            }
            Outcome::Vanished => report.vanished += 1,
        }
    }

    // What the target holds beyond the source: deleted only below a tenant of this
    // installation (its id is random, so no other installation writes there); anything else
    // may be another installation's or someone's data in a shared prefix, and is left.
    let in_source: std::collections::HashSet<&str> =
        source_keys.iter().map(|(key, _)| key.as_str()).collect();
    for key in target_keys.keys() {
        if in_source.contains(key.as_str()) {
            continue;
        }
        if owned_prefixes.iter().any(|prefix| key.starts_with(prefix)) {
            target.delete(key).await.map_err(|error| {
                MigrateError::Blob(format!("deleting {key} from the target: {}", error.0))
            })?;
            report.deleted += 1;
        } else {
            report.left_in_place += 1;
        }
    }
    Ok(report)
}

async fn copy_one(
    source: &ObjectBlobStore,
    target: &ObjectBlobStore,
    key: &str,
    target_size: Option<u64>,
) -> Result<Outcome, MigrateError> {
    let failed = |what: &str, error: verifyd_domain::blob_store::BlobError| {
        MigrateError::Blob(format!("{what} {key}: {}", error.0))
    };
    let Some(bytes) = source
        .get(key)
        .await
        .map_err(|error| failed("reading the source's", error))?
    else {
        return Ok(Outcome::Vanished);
    };
    let size = bytes.len() as u64;
    let digest = Sha256::digest(&bytes);
    if target_size == Some(size) {
        let present = target
            .get(key)
            .await
            .map_err(|error| failed("reading the target's", error))?;
        if present.is_some_and(|present| Sha256::digest(&present) == digest) {
            return Ok(Outcome::AlreadyThere(size));
        }
    }
    target
        .put(key, bytes)
        .await
        .map_err(|error| failed("writing", error))?;
    let written = target
        .get(key)
        .await
        .map_err(|error| failed("reading back", error))?;
    match written {
        Some(written) if Sha256::digest(&written) == digest => Ok(Outcome::Copied(size)),
        Some(_) => Err(MigrateError::Blob(format!(
            "{key}: the copy read back from the target differs from the source (SHA-256)"
        ))),
        None => Err(MigrateError::Blob(format!(
            "{key}: the copy is missing from the target right after it was written"
        ))),
    }
}
