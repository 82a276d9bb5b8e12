//! Blobs through the `object_store` crate: local files now, S3 and friends by configuration later.

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use futures::TryStreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};
use verifyd_domain::blob_store::{BlobError, BlobStore};

use crate::StorageError;

static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub struct ObjectBlobStore {
    store: Arc<dyn ObjectStore>,
}

impl ObjectBlobStore {
    /// Files below `root` (created if missing, private to the service user: see
    /// `private_files`); empty directories are removed on delete.
    pub fn local(root: &Path) -> Result<Self, StorageError> {
        crate::private_files::private_dir(root).map_err(|error| {
            StorageError::Config(format!(
                "cannot create blob directory {}: {error}",
                root.display()
            ))
        })?;
        let store = LocalFileSystem::new_with_prefix(root)?.with_automatic_cleanup(true);
        Ok(Self {
            store: Arc::new(store),
        })
    }
}

fn path(key: &str) -> Result<ObjectPath, BlobError> {
    ObjectPath::parse(key).map_err(|error| BlobError(format!("invalid blob key: {error}")))
}

fn failed(error: object_store::Error) -> BlobError {
    BlobError(error.to_string())
}

#[async_trait]
impl BlobStore for ObjectBlobStore {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        self.store
            .put(&path(key)?, PutPayload::from_bytes(bytes))
            .await
            .map(|_| ())
            .map_err(failed)
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, BlobError> {
        match self.store.get(&path(key)?).await {
            Ok(result) => result.bytes().await.map(Some).map_err(failed),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(failed(error)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.store.delete(&path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(failed(error)),
        }
    }

    async fn delete_prefix(&self, prefix: &str) -> Result<(), BlobError> {
        let prefix = path(prefix.trim_end_matches('/'))?;
        let keys: Vec<ObjectPath> = self
            .store
            .list(Some(&prefix))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(failed)?;
        for key in keys {
            match self.store.delete(&key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(error) => return Err(failed(error)),
            }
        }
        Ok(())
    }

    #[allow(
        clippy::disallowed_methods,
        reason = "a nonce for the probe's key, not a time the domain reads"
    )]
    async fn check_writable(&self) -> Result<(), BlobError> {
        // A key per check, so that overlapping probes never delete each other's blob.
        let unique = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_nanos())
            .unwrap_or_default();
        let sequence = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let probe = path(&format!(
            "health/probe-{}-{unique}-{sequence}",
            std::process::id()
        ))?;
        let payload = Bytes::from_static(b"verifyd health probe");
        self.store
            .put(&probe, PutPayload::from_bytes(payload.clone()))
            .await
            .map_err(failed)?;
        let read = self
            .store
            .get(&probe)
            .await
            .map_err(failed)?
            .bytes()
            .await
            .map_err(failed)?;
        self.store.delete(&probe).await.map_err(failed)?;
        if read == payload {
            Ok(())
        } else {
            Err(BlobError(
                "the probe read back differs from what was written".to_owned(),
            ))
        }
    }
}
