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

    /// The tenant and the owner (account or Document Verification transaction) of a blob: whose
    /// data key seals it. None for a key no upload writes (the health probe's).
    pub fn owner(key: &str) -> Option<(Uuid, Uuid)> {
        let mut parts = key.split('/');
        let (Some("tenants"), Some(tenant), Some("accounts" | "documents"), Some(owner)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some((Uuid::parse_str(tenant).ok()?, Uuid::parse_str(owner).ok()?))
    }

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

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::keys;

    #[test]
    fn every_blob_key_names_its_owner() {
        let (tenant, account, credential, verification) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let part = keys::part(tenant, account, credential, "FRONT", Uuid::from_u128(5));
        assert_eq!(keys::owner(&part), Some((tenant, account)));
        let page = keys::document_verification_file(tenant, verification, "page-1", Uuid::nil());
        assert_eq!(keys::owner(&page), Some((tenant, verification)));
        assert_eq!(keys::owner("health/probe"), None);
        assert_eq!(keys::owner("tenants/x/accounts/y/z"), None);
    }
}
