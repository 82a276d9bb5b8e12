//! Blobs through the `object_store` crate: local files (`file://`) or S3 and S3-compatible
//! stores such as SeaweedFS and MinIO (`s3://`).

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ObjectStore, PutPayload, RetryConfig};
use verifyd_domain::blob_store::{BlobError, BlobStore};

use crate::StorageError;

static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How `s3://` blob stores are reached. `AmazonS3Builder::from_env` reads the usual `AWS_*`
/// variables first (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
/// `AWS_REGION`/`AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL`/`AWS_ENDPOINT`, `AWS_ALLOW_HTTP`,
/// `AWS_VIRTUAL_HOSTED_STYLE_REQUEST`, ...); every field set here overrides its variable. With
/// neither, the region is `us-east-1`, requests are path-style, only https is allowed, and the
/// credentials come from the web identity, container or instance metadata providers, as the AWS
/// SDKs do.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct S3Options {
    /// `https://HOST[:PORT]` of an S3-compatible service (SeaweedFS, MinIO); unset: AWS.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    /// Never printed: `Debug` shows only whether it is set.
    pub secret_access_key: Option<String>,
    /// Admit an `http://` endpoint (a store on the same host or network only).
    pub allow_http: Option<bool>,
    /// `https://BUCKET.HOST/KEY` instead of the path-style `https://HOST/BUCKET/KEY`.
    pub virtual_hosted_style: Option<bool>,
}

impl S3Options {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl std::fmt::Debug for S3Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Options")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "..."),
            )
            .field("allow_http", &self.allow_http)
            .field("virtual_hosted_style", &self.virtual_hosted_style)
            .finish()
    }
}

/// How long one blob operation may keep retrying a store that fails (5xx, a refused or dropped
/// connection) before its error reaches the caller. `object_store`'s default is 10 retries
/// within 3 minutes: an upload would hold its request, and a worker its job, that long while the
/// store is down, where an error now lets the client retry and the job's own backoff take over.
/// Each attempt keeps `object_store`'s own limits (30 s per request, 5 s to connect).
const RETRY: RetryConfig = RetryConfig {
    backoff: BackoffConfig {
        init_backoff: std::time::Duration::from_millis(100),
        max_backoff: std::time::Duration::from_secs(2),
        base: 2.0,
    },
    max_retries: 4,
    retry_timeout: std::time::Duration::from_secs(15),
};

pub struct ObjectBlobStore {
    store: Arc<dyn ObjectStore>,
    /// Where this store's keys live inside `store` (an S3 URL's path); empty: at its root.
    prefix: ObjectPath,
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
            prefix: ObjectPath::default(),
        })
    }

    /// Objects in `bucket`, each key below `prefix` (`a/b` keeps `k` as `a/b/k`; empty: at the
    /// bucket's root). Nothing is contacted until the first operation: a wrong endpoint or
    /// credentials show in `check_writable` (`/health`).
    pub fn s3(bucket: &str, prefix: &str, options: &S3Options) -> Result<Self, StorageError> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(endpoint) = &options.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(region) = &options.region {
            builder = builder.with_region(region);
        }
        if let Some(key) = &options.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &options.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        if let Some(allow) = options.allow_http {
            builder = builder.with_allow_http(allow);
        }
        if let Some(virtual_hosted) = options.virtual_hosted_style {
            builder = builder.with_virtual_hosted_style_request(virtual_hosted);
        }
        let prefix = ObjectPath::parse(prefix).map_err(|error| {
            StorageError::Config(format!("blob store prefix {prefix:?}: {error}"))
        })?;
        let builder = builder.with_retry(RETRY);
        Ok(Self {
            store: Arc::new(builder.build()?),
            prefix,
        })
    }

    /// Every blob's key (as `put` took it, without the store's prefix) and size, for
    /// `verifyd migrate`, which compares two stores. Listed whole: a store holds an
    /// installation's blobs, thousands to a few million keys.
    pub async fn keys(&self) -> Result<Vec<(String, u64)>, BlobError> {
        let prefix = (!self.prefix.as_ref().is_empty()).then_some(&self.prefix);
        let listed: Vec<object_store::ObjectMeta> = self
            .store
            .list(prefix)
            .try_collect()
            .await
            .map_err(failed)?;
        Ok(listed
            .into_iter()
            .filter_map(|meta| {
                let key: Vec<String> = meta
                    .location
                    .prefix_match(&self.prefix)?
                    .map(|part| part.as_ref().to_owned())
                    .collect();
                Some((key.join("/"), meta.size))
            })
            .collect())
    }

    /// The store's own path of a blob key.
    fn path(&self, key: &str) -> Result<ObjectPath, BlobError> {
        let key = ObjectPath::parse(key)
            .map_err(|error| BlobError(format!("invalid blob key: {error}")))?;
        Ok(self.prefix.parts().chain(key.parts()).collect())
    }
}

fn failed(error: object_store::Error) -> BlobError {
    BlobError(error.to_string())
}

#[async_trait]
impl BlobStore for ObjectBlobStore {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        self.store
            .put(&self.path(key)?, PutPayload::from_bytes(bytes))
            .await
            .map(|_| ())
            .map_err(failed)
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, BlobError> {
        match self.store.get(&self.path(key)?).await {
            Ok(result) => result.bytes().await.map(Some).map_err(failed),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(failed(error)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.store.delete(&self.path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(failed(error)),
        }
    }

    async fn delete_prefix(&self, prefix: &str) -> Result<(), BlobError> {
        let prefix = self.path(prefix.trim_end_matches('/'))?;
        // Listed whole first: a directory walk that is deleted under it may stop early.
        let keys: Vec<ObjectPath> = self
            .store
            .list(Some(&prefix))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(failed)?;
        // S3 deletes up to a thousand keys per request; files go one by one.
        let mut deleted = self
            .store
            .delete_stream(futures::stream::iter(keys.into_iter().map(Ok)).boxed());
        while let Some(outcome) = deleted.next().await {
            match outcome {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
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
        let probe = self.path(&format!(
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
