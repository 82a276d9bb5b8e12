//! A worker's part of Document Verification: it leases a finalized transaction, reads each
//! page's text (a PDF page's text layer, else the OCR on its image), extracts the type's data
//! points, and stores the result with the callback in one repository call. A worker that dies
//! loses its lease and another takes the transaction over; a late completion is refused.

use chrono::{DateTime, Duration, Utc};

use super::Verifyd;
use crate::analysers::Analysers;
use crate::error::DomainError;
use crate::model::{DocumentExtraction, DocumentVerification, FINALIZE_WINDOW};
use crate::random::new_id;
use crate::repository::NewCallback;
use crate::rules::document_extraction;

/// How many stale transactions one sweep fails at most.
const STALE_BATCH: u32 = 100;

impl Verifyd {
    /// The callback reporting `verification` now: to its callbackUrl, else the tenant's.
    async fn document_callback(
        &self,
        verification: &DocumentVerification,
        now: DateTime<Utc>,
    ) -> Result<Option<NewCallback>, DomainError> {
        let url = match &verification.request.callback_url {
            Some(url) => Some(url.clone()),
            None => self
                .repository
                .tenant(verification.tenant_id)
                .await?
                .and_then(|tenant| tenant.callback_url),
        };
        Ok(url.map(|url| {
            NewCallback::for_document(new_id(self.random.as_ref()), verification, url, now)
        }))
    }

    /// Fails every transaction not finalized within `FINALIZE_WINDOW` of its last update and
    /// queues its FAILED callback (the callback guide: "if initialized acquisition is not
    /// successfully finalized within 15 minutes after creation/last update"), once its web
    /// client link no longer opens it: the user may come as late as the link lives. Returns how
    /// many.
    pub async fn fail_stale_documents(&self) -> Result<usize, DomainError> {
        let mut failed = 0;
        loop {
            let now = self.clock.now();
            let before = now - FINALIZE_WINDOW;
            let stale = self
                .repository
                .stale_document_verifications(before, now, STALE_BATCH)
                .await?;
            let mut progressed = false;
            for verification in &stale {
                let callback = self.document_callback(verification, now).await?;
                if self
                    .repository
                    .fail_document_verification(verification.id, before, now, callback.as_ref())
                    .await?
                {
                    failed += 1;
                    progressed = true;
                }
            }
            if stale.len() < STALE_BATCH as usize || !progressed {
                return Ok(failed);
            }
        }
    }

    /// Processes the longest-waiting finalized transaction, if there is one; true when one was
    /// (this worker completed it or found its lease taken over).
    pub async fn process_next_document(
        &self,
        analysers: &Analysers,
        lease: Duration,
    ) -> Result<bool, DomainError> {
        let now = self.clock.now();
        let token = new_id(self.random.as_ref());
        let Some(verification) = self
            .repository
            .claim_document_verification(now, now + lease, token)
            .await?
        else {
            return Ok(false);
        };
        let extraction = self.read_document(analysers, &verification).await?;
        let now = self.clock.now();
        let callback = self.document_callback(&verification, now).await?;
        let completed = self
            .repository
            .complete_document_verification(
                verification.id,
                token,
                &extraction,
                now,
                callback.as_ref(),
            )
            .await?;
        tracing::info!(
            document = %verification.id,
            completed,
            status = extraction.status.map_or("UPLOADED", |status| status.as_str()),
            "document verification read"
        );
        Ok(true)
    }

    /// The extraction, or why there is none: extraction switched off (UPLOADED, nothing
    /// listed), no OCR here, or a page that could not be read.
    async fn read_document(
        &self,
        analysers: &Analysers,
        verification: &DocumentVerification,
    ) -> Result<DocumentExtraction, DomainError> {
        let request = &verification.request;
        if !request.enable_extraction {
            return Ok(DocumentExtraction::default());
        }
        let not_read = |reason: String| DocumentExtraction {
            not_extracted: vec![reason],
            ..DocumentExtraction::default()
        };
        let mut lines = Vec::new();
        for page in self.repository.document_pages(verification.id).await? {
            if let Some(text) = &page.text_layer {
                lines.extend(
                    text.lines()
                        .map(str::trim)
                        .filter(|line| !line.is_empty())
                        .map(str::to_owned),
                );
                continue;
            }
            let Some(image) = &page.image else { continue };
            let Some(reader) = &analysers.pages else {
                return Ok(not_read(
                    "no text was read: this node has no OCR models installed".to_owned(),
                ));
            };
            let Some(bytes) = self.blobs.get(&image.blob_key).await? else {
                return Ok(not_read(format!(
                    "page {} is missing from the blob store",
                    page.number
                )));
            };
            match reader.read_page(bytes).await {
                Ok(read) => lines.extend(read),
                Err(error) => {
                    return Ok(not_read(format!(
                        "page {} could not be read: {error}",
                        page.number
                    )))
                }
            }
        }
        Ok(document_extraction::extract(
            &lines,
            request.document_type,
            request.country.as_deref(),
        ))
    }
}
