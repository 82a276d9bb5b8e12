//! The Document Verification retrieval and delete APIs (`/api/netverify/v2/documents/...`), and
//! what the callback reads when it is sent.

use bytes::Bytes;
use uuid::Uuid;

use super::{require, Verifyd};
use crate::error::{DomainError, Resource};
use crate::model::{Caller, DocumentPage, DocumentVerification, MediaType, Scope};

impl Verifyd {
    /// The caller's transaction, to retrieve.
    pub async fn document_verification(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<DocumentVerification, DomainError> {
        require(caller, Scope::Retrieve)?;
        self.own_document_verification(caller, id).await
    }

    /// The transaction's pages that have an image, by number.
    pub async fn document_page_images(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Vec<DocumentPage>, DomainError> {
        let verification = self.document_verification(caller, id).await?;
        let mut pages = self.repository.document_pages(verification.id).await?;
        pages.retain(|page| page.image.is_some());
        Ok(pages)
    }

    /// One page's image.
    pub async fn document_page_image(
        &self,
        caller: &Caller,
        id: Uuid,
        number: u32,
    ) -> Result<(MediaType, Bytes), DomainError> {
        let image = self
            .document_page_images(caller, id)
            .await?
            .into_iter()
            .find(|page| page.number == number)
            .and_then(|page| page.image)
            .ok_or(DomainError::NotFound(Resource::Part))?;
        let bytes = self
            .blobs
            .get(&image.blob_key)
            .await?
            .ok_or(DomainError::NotFound(Resource::Part))?;
        Ok((image.media_type, bytes))
    }

    /// The PDF as uploaded to `.../document`.
    pub async fn document_original(&self, caller: &Caller, id: Uuid) -> Result<Bytes, DomainError> {
        let verification = self.document_verification(caller, id).await?;
        let key = verification
            .original_blob
            .ok_or(DomainError::NotFound(Resource::Part))?;
        self.blobs
            .get(&key)
            .await?
            .ok_or(DomainError::NotFound(Resource::Part))
    }

    /// What a Document Verification callback reports, read when it is sent; None once deleted.
    pub async fn document_for_callback(
        &self,
        id: Uuid,
    ) -> Result<Option<(DocumentVerification, Vec<DocumentPage>)>, DomainError> {
        let Some(verification) = self.repository.document_verification(id).await? else {
            return Ok(None);
        };
        let mut pages = self.repository.document_pages(id).await?;
        pages.retain(|page| page.image.is_some());
        Ok(Some((verification, pages)))
    }

    /// `DELETE /api/netverify/v2/documents/{scanReference}` of a Document Verification
    /// transaction: its record, pages and files go; false when the reference is none of the
    /// caller's Document Verification transactions (it may be a workflow execution's).
    pub(super) async fn delete_document_verification(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<bool, DomainError> {
        require(caller, Scope::Delete)?;
        match self.own_document_verification(caller, id).await {
            Ok(verification) => self.remove_document_verification(&verification).await,
            Err(DomainError::NotFound(_)) => Ok(false),
            Err(other) => Err(other),
        }
    }
}
