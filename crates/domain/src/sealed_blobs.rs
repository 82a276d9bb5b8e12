//! Every blob sealed under its owner's data key on its way to the blob store, and opened on its
//! way back: images, PDFs, facemaps and frames never reach a disk or a bucket in clear. The
//! owner is read from the blob's key (`keys::owner`); the key is also the sealing's context,
//! so that bytes moved under another key do not open.
//!
//! A blob stored before sealing existed is returned as it is. A sealed blob whose data key is
//! gone (its owner was deleted) is reported missing: it can no longer be read by anyone.

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;

use crate::blob_store::{keys, BlobError, BlobStore};
use crate::envelope::Envelope;
use crate::repository::Repository;

pub struct SealedBlobs {
    inner: Arc<dyn BlobStore>,
    repository: Arc<dyn Repository>,
    envelope: Envelope,
}

impl SealedBlobs {
    pub fn new(
        inner: Arc<dyn BlobStore>,
        repository: Arc<dyn Repository>,
        envelope: Envelope,
    ) -> Self {
        Self {
            inner,
            repository,
            envelope,
        }
    }
}

fn owner_of(key: &str) -> Result<(uuid::Uuid, uuid::Uuid), BlobError> {
    keys::owner(key).ok_or_else(|| BlobError(format!("{key} belongs to no account")))
}

#[async_trait]
impl BlobStore for SealedBlobs {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        let (tenant, owner) = owner_of(key)?;
        let data_key = self
            .repository
            .data_key(tenant, owner, true)
            .await
            .map_err(|error| BlobError(error.to_string()))?
            .ok_or_else(|| BlobError(format!("no data key for {key}")))?;
        let sealed = self
            .envelope
            .seal(&data_key, key, &bytes)
            .map_err(|error| BlobError(error.to_string()))?;
        self.inner.put(key, Bytes::from(sealed)).await
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, BlobError> {
        let Some(stored) = self.inner.get(key).await? else {
            return Ok(None);
        };
        if !Envelope::is_sealed(&stored) {
            return Ok(Some(stored));
        }
        let (tenant, owner) = owner_of(key)?;
        let Some(data_key) = self
            .repository
            .data_key(tenant, owner, false)
            .await
            .map_err(|error| BlobError(error.to_string()))?
        else {
            return Ok(None);
        };
        self.envelope
            .open(&data_key, key, &stored)
            .map(Bytes::from)
            .map(Some)
            .map_err(|error| BlobError(error.to_string()))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        self.inner.delete(key).await
    }

    async fn delete_prefix(&self, prefix: &str) -> Result<(), BlobError> {
        self.inner.delete_prefix(prefix).await
    }

    async fn check_writable(&self) -> Result<(), BlobError> {
        self.inner.check_writable().await
    }
}
