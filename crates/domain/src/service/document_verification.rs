//! The Document Verification API's acquisition: initiation, pages (images, or a single-page
//! PDF), a whole PDF, finalization, and the single-page `complete` that does all three. Every
//! file is checked as an upload before anything is stored; the pages' text is read later, by a
//! worker (`document_processing`).

use bytes::Bytes;
use uuid::Uuid;
use verifyd_types::values::DocumentSource;
use verifyd_types::ErrorCode;

use super::document_web_client::{issue_token, DocumentUploader};
use super::{require, Verifyd};
use crate::blob_store::keys;
use crate::error::{DomainError, Resource};
use crate::inspector::{PartFormat, PdfPage, PdfRejection};
use crate::model::{
    Caller, DocumentPage, DocumentRequest, DocumentStage, DocumentVerification, InitiationToken,
    MediaType, Scope, StoredPageImage,
};
use crate::random::new_id;
use crate::repository::{PagesOutcome, PagesStamp};

/// The guide's limit on each uploaded file.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// A PDF is recognised by its header, as the upload inspection does, within its first KB.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|window| window == b"%PDF-")
}

/// A page, checked, not yet stored.
struct CheckedPage {
    number: u32,
    image: Option<(MediaType, Bytes)>,
    text: Option<String>,
}

impl Verifyd {
    /// `POST /api/netverify/v2/acquisitions`: the transaction, and its web client link's token
    /// (valid for the request's `authorizationTokenLifetime`), which only this answer holds.
    pub async fn initiate_document_verification(
        &self,
        caller: &Caller,
        request: DocumentRequest,
    ) -> Result<(DocumentVerification, String), DomainError> {
        let expires_at = self.clock.now() + request.web.token_lifetime();
        let (token, stored) = issue_token(self.random.as_ref(), expires_at);
        let verification = self
            .new_document_verification(caller, request, Some(stored))
            .await?;
        Ok((verification, token))
    }

    async fn new_document_verification(
        &self,
        caller: &Caller,
        request: DocumentRequest,
        initiation_token: Option<InitiationToken>,
    ) -> Result<DocumentVerification, DomainError> {
        require(caller, Scope::Initiate)?;
        let now = self.clock.now();
        let verification = DocumentVerification {
            id: new_id(self.random.as_ref()),
            tenant_id: caller.tenant_id,
            source: DocumentSource::DocApi,
            request,
            stage: DocumentStage::Acquiring,
            original_blob: None,
            extraction: None,
            initiation_token,
            created_at: now,
            updated_at: now,
        };
        self.repository
            .insert_document_verification(&verification)
            .await?;
        Ok(verification)
    }

    /// The caller's transaction; another tenant's is not found.
    pub(super) async fn own_document_verification(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<DocumentVerification, DomainError> {
        self.repository
            .document_verification(id)
            .await?
            .filter(|verification| verification.tenant_id == caller.tenant_id)
            .ok_or(DomainError::NotFound(Resource::Transaction))
    }

    /// The uploader's transaction, if it still takes pages from it.
    async fn acquiring(
        &self,
        uploader: DocumentUploader<'_>,
        id: Uuid,
    ) -> Result<DocumentVerification, DomainError> {
        match uploader {
            DocumentUploader::Tenant(caller) => {
                require(caller, Scope::Acquire)?;
                let verification = self.own_document_verification(caller, id).await?;
                if !verification.takes_uploads(self.clock.now()) {
                    return Err(closed());
                }
                Ok(verification)
            }
            DocumentUploader::WebClient(token) => self.linked_acquiring(token, id).await,
        }
    }

    /// Whether an upload to the transaction (of page `page`, if it is one) would be taken, so
    /// that the server refuses it before reading up to 10 MB of body.
    pub async fn check_document_upload(
        &self,
        uploader: DocumentUploader<'_>,
        id: Uuid,
        page: Option<u32>,
    ) -> Result<(), DomainError> {
        let verification = self.acquiring(uploader, id).await?;
        match page {
            Some(number) => page_in_range(&verification, number),
            None => Ok(()),
        }
    }

    /// `POST .../acquisitions/{scanReference}/document/pages/{page}`: an image, or a PDF of one
    /// page.
    pub async fn add_document_page(
        &self,
        uploader: DocumentUploader<'_>,
        id: Uuid,
        number: u32,
        bytes: Bytes,
    ) -> Result<(), DomainError> {
        let verification = self.acquiring(uploader, id).await?;
        page_in_range(&verification, number)?;
        let page = self.check_page(number, bytes).await?;
        self.store_pages(&verification, vec![page], None, uploader)
            .await
    }

    /// `POST .../acquisitions/{scanReference}/document`: a PDF whose pages become the
    /// transaction's pages (replacing any uploaded before). Returns how many.
    pub async fn add_document_pdf(
        &self,
        uploader: DocumentUploader<'_>,
        id: Uuid,
        bytes: Bytes,
    ) -> Result<u32, DomainError> {
        let verification = self.acquiring(uploader, id).await?;
        check_size(&bytes)?;
        if !is_pdf(&bytes) {
            return Err(crate::inspector::PartRejection::WrongFormat {
                expected: "PDF document",
            }
            .into());
        }
        let max = verification.max_pages();
        let pages = self.pdf_pages(bytes.clone(), max as usize).await?;
        let mut checked = Vec::with_capacity(pages.len());
        for (index, page) in pages.into_iter().enumerate() {
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            checked.push(self.check_pdf_page(number, page).await?);
        }
        let count = u32::try_from(checked.len()).unwrap_or(u32::MAX);
        self.store_pages(&verification, checked, Some(bytes), uploader)
            .await?;
        Ok(count)
    }

    /// `PUT .../acquisitions/{scanReference}`: the pages are complete; a worker reads them.
    pub async fn finalize_document_verification(
        &self,
        uploader: DocumentUploader<'_>,
        id: Uuid,
    ) -> Result<(), DomainError> {
        let verification = self.acquiring(uploader, id).await?;
        if self
            .repository
            .document_pages(verification.id)
            .await?
            .is_empty()
        {
            return Err(DomainError::Invalid {
                code: ErrorCode::NothingUploaded,
                message: "no page was uploaded for this transaction".to_owned(),
            });
        }
        if !self
            .repository
            .finalize_document_verification(verification.id, self.clock.now())
            .await?
        {
            return Err(closed());
        }
        Ok(())
    }

    /// `POST .../acquisitions/complete`: initiation, one page and finalization in one request.
    /// The file is checked before anything is stored, so a refusal leaves nothing behind.
    pub async fn complete_document_verification(
        &self,
        caller: &Caller,
        request: DocumentRequest,
        bytes: Bytes,
    ) -> Result<DocumentVerification, DomainError> {
        require(caller, Scope::Initiate)?;
        require(caller, Scope::Acquire)?;
        let page = self.check_page(1, bytes).await?;
        let verification = self
            .new_document_verification(caller, request, None)
            .await?;
        let uploader = DocumentUploader::Tenant(caller);
        let stored = match self
            .store_pages(&verification, vec![page], None, uploader)
            .await
        {
            Ok(()) => {
                self.finalize_document_verification(uploader, verification.id)
                    .await
            }
            Err(error) => Err(error),
        };
        if let Err(error) = stored {
            if let Err(removal) = self.remove_document_verification(&verification).await {
                tracing::warn!(error = %removal, "could not remove a document transaction that failed");
            }
            return Err(error);
        }
        Ok(verification)
    }

    /// An uploaded page: an image checked as an upload, or a PDF that must have one page.
    async fn check_page(&self, number: u32, bytes: Bytes) -> Result<CheckedPage, DomainError> {
        check_size(&bytes)?;
        if is_pdf(&bytes) {
            let mut pages = self
                .pdf_pages(bytes, 1)
                .await
                .map_err(|error| match error {
                    DomainError::Invalid {
                        code: ErrorCode::TooManyPages,
                        message,
                    } => DomainError::Invalid {
                        code: ErrorCode::MultiPagePdf,
                        message: format!(
                            "{message}: a PDF of several pages is added with POST .../document"
                        ),
                    },
                    other => other,
                })?;
            let page = pages.pop().ok_or_else(|| unreadable(1))?;
            return self.check_pdf_page(number, page).await;
        }
        let inspected = self
            .inspector
            .inspect(PartFormat::Image, bytes.clone())
            .await?;
        let kept = bytes.slice(..inspected.length.min(bytes.len()));
        Ok(CheckedPage {
            number,
            image: Some((inspected.media_type, kept)),
            text: None,
        })
    }

    /// A PDF's page: its image checked as an upload would be; a page with neither an image nor
    /// text is refused.
    async fn check_pdf_page(&self, number: u32, page: PdfPage) -> Result<CheckedPage, DomainError> {
        let image = match page.image {
            Some((_, bytes)) => {
                let inspected = self
                    .inspector
                    .inspect(PartFormat::Image, bytes.clone())
                    .await
                    .map_err(|rejection| DomainError::ImageRejected {
                        field: format!("page {number}"),
                        rejection,
                    })?;
                Some((inspected.media_type, bytes))
            }
            None => None,
        };
        if image.is_none() && page.text.is_none() {
            return Err(unreadable(number));
        }
        Ok(CheckedPage {
            number,
            image,
            text: page.text,
        })
    }

    async fn pdf_pages(&self, bytes: Bytes, max: usize) -> Result<Vec<PdfPage>, DomainError> {
        self.inspector
            .pdf_pages(bytes, max)
            .await
            .map_err(|error| match error {
                PdfRejection::Part(rejection) => rejection.into(),
                PdfRejection::TooManyPages { .. } => DomainError::Invalid {
                    code: ErrorCode::TooManyPages,
                    message: error.to_string(),
                },
                PdfRejection::UnreadablePage { page } => unreadable(page as u32),
            })
    }

    /// Writes the blobs, then the records; blobs of a refused or replaced write are removed.
    /// A PDF (`original`) replaces every page. Pages uploaded through the API end the web
    /// client's link: the transaction is the API's from then on, under its 5-minute windows.
    async fn store_pages(
        &self,
        verification: &DocumentVerification,
        pages: Vec<CheckedPage>,
        original: Option<Bytes>,
        uploader: DocumentUploader<'_>,
    ) -> Result<(), DomainError> {
        let now = self.clock.now();
        let replace_all = original.is_some();
        let stamp = PagesStamp {
            at: now,
            source: uploader.source(),
            link_expires_at: match uploader {
                DocumentUploader::Tenant(_) => verification
                    .initiation_token
                    .as_ref()
                    .map(|token| token.expires_at.min(now)),
                DocumentUploader::WebClient(_) => None,
            },
        };
        let (tenant, id) = (verification.tenant_id, verification.id);
        let mut written = Vec::new();
        let mut records = Vec::with_capacity(pages.len());
        for page in pages {
            let image = match page.image {
                Some((media_type, bytes)) => {
                    let key = keys::document_verification_file(
                        tenant,
                        id,
                        &format!("page-{}", page.number),
                        new_id(self.random.as_ref()),
                    );
                    self.blobs.put(&key, bytes).await?;
                    written.push(key.clone());
                    Some(StoredPageImage {
                        media_type,
                        blob_key: key,
                    })
                }
                None => None,
            };
            records.push(DocumentPage {
                number: page.number,
                image,
                text_layer: page.text,
            });
        }
        let original_key = match original {
            Some(bytes) => {
                let key = keys::document_verification_file(
                    tenant,
                    id,
                    "original",
                    new_id(self.random.as_ref()),
                );
                self.blobs.put(&key, bytes).await?;
                written.push(key.clone());
                Some(key)
            }
            None => None,
        };
        let outcome = self
            .repository
            .put_document_pages(id, &records, original_key.as_deref(), replace_all, &stamp)
            .await;
        let unreferenced = match &outcome {
            Ok(PagesOutcome::Stored { replaced }) => replaced.clone(),
            Ok(PagesOutcome::Closed) | Err(_) => written,
        };
        for key in unreferenced {
            if let Err(error) = self.blobs.delete(&key).await {
                tracing::warn!(%error, "could not delete an unreferenced blob");
            }
        }
        match outcome? {
            PagesOutcome::Stored { .. } => Ok(()),
            PagesOutcome::Closed => Err(closed()),
        }
    }

    /// Deletes the transaction's record and blobs.
    pub(super) async fn remove_document_verification(
        &self,
        verification: &DocumentVerification,
    ) -> Result<bool, DomainError> {
        let prefix = keys::document_verification_prefix(verification.tenant_id, verification.id);
        let removed = self
            .repository
            .delete_document_verification(verification.id, &prefix, self.clock.now())
            .await?;
        if removed {
            self.purge_blobs(&[prefix]).await?;
        }
        Ok(removed)
    }
}

fn page_in_range(verification: &DocumentVerification, number: u32) -> Result<(), DomainError> {
    let max = verification.max_pages();
    if !(1..=max).contains(&number) {
        return Err(DomainError::Invalid {
            code: ErrorCode::TooManyPages,
            message: format!("page must be 1 to {max} for this document type"),
        });
    }
    Ok(())
}

fn check_size(bytes: &Bytes) -> Result<(), DomainError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(crate::inspector::PartRejection::TooLarge {
            size: bytes.len(),
            max: MAX_FILE_BYTES,
        }
        .into());
    }
    Ok(())
}

pub(super) fn closed() -> DomainError {
    DomainError::Conflict {
        code: ErrorCode::AcquisitionClosed,
        message: "the transaction takes no more pages: it was finalized, or initiated or last updated more than 5 minutes ago".to_owned(),
    }
}

fn unreadable(page: u32) -> DomainError {
    DomainError::Invalid {
        code: ErrorCode::UnreadablePdfPage,
        message: format!(
            "page {page} of the PDF holds neither a scanned image nor a text layer verifyd can read (verifyd does not render vector drawings)"
        ),
    }
}
