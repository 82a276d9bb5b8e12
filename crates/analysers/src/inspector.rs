//! The engine's upload inspection behind the domain's `PartInspector`: run off the async runtime,
//! bounded in concurrency (decoding is CPU- and memory-heavy) and in time.

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use verifyd_domain::inspector::{
    InspectedPart, PartFormat, PartInspector, PartRejection, PdfPage, PdfRejection,
};
use verifyd_domain::model::MediaType;
use verifyd_engine::upload::{
    inspect_image, pdf_pages, ImageFormat, ImageLimits, InspectError, PageImage, PdfPagesError,
};

use crate::pool::{CpuPool, PoolError};
use crate::sandbox::{PdfSandbox, Verdict};

pub struct EngineInspector {
    limits: ImageLimits,
    timeout: Duration,
    /// The process's one pool of CPU slots, shared with the analysers.
    pool: CpuPool,
    pdf: PdfSandbox,
}

impl EngineInspector {
    pub fn new(limits: ImageLimits, timeout: Duration, pdf: PdfSandbox, pool: CpuPool) -> Self {
        Self {
            limits,
            timeout,
            pool,
            pdf,
        }
    }

    /// A PDF is parsed in a child process (see `sandbox`); the timeout kills it.
    async fn inspect_pdf(&self, bytes: &[u8]) -> Result<InspectedPart, PartRejection> {
        let verdict = match tokio::time::timeout(self.timeout, self.pdf.inspect(bytes)).await {
            Ok(Ok(verdict)) => verdict,
            Ok(Err(error)) => {
                tracing::warn!(%error, "a PDF upload was refused: its inspection failed");
                return Err(PartRejection::Corrupt(
                    "the PDF could not be read within the inspection's limits".to_owned(),
                ));
            }
            Err(_) => return Err(PartRejection::Timeout),
        };
        match verdict {
            Verdict::Pdf { .. } => Ok(InspectedPart {
                media_type: MediaType::Pdf,
                width: None,
                height: None,
                length: bytes.len(),
            }),
            Verdict::Empty => Err(PartRejection::Empty),
            Verdict::NotAPdf => Err(rejection(InspectError::NotAPdf)),
            Verdict::Corrupt { reason } => Err(PartRejection::Corrupt(reason)),
        }
    }
}

#[async_trait]
impl PartInspector for EngineInspector {
    async fn inspect(
        &self,
        format: PartFormat,
        bytes: Bytes,
    ) -> Result<InspectedPart, PartRejection> {
        if bytes.is_empty() {
            return Err(PartRejection::Empty);
        }
        if format == PartFormat::Facemap {
            return Ok(InspectedPart {
                media_type: MediaType::OctetStream,
                width: None,
                height: None,
                length: bytes.len(),
            });
        }
        if format == PartFormat::Pdf {
            // The child process parses; the slot counts it as the heavy work it is.
            let _slot = self.pool.slot().await.map_err(refused)?;
            return self.inspect_pdf(&bytes).await;
        }
        // A decode that outlives its timeout still holds its slot (see `CpuPool`), so the pool
        // bounds the decodes that ever run at once.
        let limits = self.limits;
        self.pool
            .run_within(self.timeout, move || inspect_image_part(&bytes, &limits))
            .await
            .map_err(refused)?
    }

    /// Inspected in the sandbox first (bounded in memory there); then taken apart here, in a
    /// slot of the pool with the inspection's time limit, every stream inflated within the
    /// engine's limit.
    async fn pdf_pages(
        &self,
        bytes: Bytes,
        max_pages: usize,
    ) -> Result<Vec<PdfPage>, PdfRejection> {
        self.inspect(PartFormat::Pdf, bytes.clone()).await?;
        let max_dimension = self.limits.max_dimension;
        let pages = self
            .pool
            .run_within(self.timeout, move || {
                pdf_pages(&bytes, max_pages, max_dimension)
            })
            .await
            .map_err(refused)?;
        let pages = pages.map_err(|error| match error {
            PdfPagesError::TooManyPages { pages, max } => PdfRejection::TooManyPages { pages, max },
            PdfPagesError::Inspect(error) => PdfRejection::Part(rejection(error)),
        })?;
        Ok(pages
            .into_iter()
            .map(|page| PdfPage {
                image: page.image.map(|image| match image {
                    PageImage::Jpeg(bytes) => (MediaType::Jpeg, Bytes::from(bytes)),
                    PageImage::Png(bytes) => (MediaType::Png, Bytes::from(bytes)),
                }),
                text: page.text,
            })
            .collect())
    }
}

fn refused(error: PoolError) -> PartRejection {
    match error {
        PoolError::TimedOut => PartRejection::Timeout,
        PoolError::Failed(error) => PartRejection::Corrupt(format!("inspection failed: {error}")),
    }
}

fn inspect_image_part(bytes: &[u8], limits: &ImageLimits) -> Result<InspectedPart, PartRejection> {
    inspect_image(bytes, limits)
        .map(|info| InspectedPart {
            media_type: match info.format {
                ImageFormat::Jpeg => MediaType::Jpeg,
                ImageFormat::Png => MediaType::Png,
            },
            width: Some(info.width),
            height: Some(info.height),
            length: info.length,
        })
        .map_err(rejection)
}

fn rejection(error: InspectError) -> PartRejection {
    match error {
        InspectError::Empty => PartRejection::Empty,
        InspectError::NotAnImage => PartRejection::WrongFormat {
            expected: "JPEG or PNG image",
        },
        InspectError::NotAPdf => PartRejection::WrongFormat {
            expected: "PDF document",
        },
        InspectError::TooLarge { width, height, max } => {
            PartRejection::DimensionsTooLarge { width, height, max }
        }
        InspectError::TooSmall { width, height, min } => {
            PartRejection::DimensionsTooSmall { width, height, min }
        }
        InspectError::Corrupt(reason) => PartRejection::Corrupt(reason),
    }
}
