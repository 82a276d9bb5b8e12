//! Where images and other uploaded bytes live. Records never hold them: a part row only names its
//! blob, so the database stays small and the bytes can move to an object store.

use async_trait::async_trait;
use bytes::Bytes;

#[derive(Debug, thiserror::Error)]
#[error("blob store: {0}")]
pub struct BlobError(pub String);

#[async_trait]
pub trait BlobStore: Send + Sync {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BlobError>;
    /// `None` when no blob has that key.
    async fn get(&self, key: &str) -> Result<Option<Bytes>, BlobError>;
    /// Deleting a missing blob is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
    /// Deletes every blob whose key starts with `prefix` (a path ending in `/`).
    async fn delete_prefix(&self, prefix: &str) -> Result<(), BlobError>;
    /// Writes, reads back and removes a probe blob: what `/health` reports.
    async fn check_writable(&self) -> Result<(), BlobError>;
}

/// Blob keys, in one place so that deletion by prefix always matches what uploads wrote.
pub mod keys {
    use uuid::Uuid;

    pub fn account_prefix(tenant: Uuid, account: Uuid) -> String {
        format!("tenants/{tenant}/accounts/{account}/")
    }

    pub fn credential_prefix(tenant: Uuid, account: Uuid, credential: Uuid) -> String {
        format!(
            "{}credentials/{credential}/",
            account_prefix(tenant, account)
        )
    }

    /// Everything of one Document Verification transaction.
    pub fn document_verification_prefix(tenant: Uuid, verification: Uuid) -> String {
        format!("tenants/{tenant}/documents/{verification}/")
    }

    /// A page's image, or (`name` "original") the PDF as uploaded; each version its own key.
    pub fn document_verification_file(
        tenant: Uuid,
        verification: Uuid,
        name: &str,
        version: Uuid,
    ) -> String {
        format!(
            "{}{name}-{version}",
            document_verification_prefix(tenant, verification)
        )
    }

    /// Every stored version gets its own key, so that a replacement never overwrites the bytes a
    /// concurrent reader is still fetching and a failed replacement leaves the old part intact.
    pub fn part(
        tenant: Uuid,
        account: Uuid,
        credential: Uuid,
        classifier: &str,
        version: Uuid,
    ) -> String {
        format!(
            "{}{classifier}-{version}",
            credential_prefix(tenant, account, credential)
        )
    }
}
