//! The engine's upload inspection behind the domain's `PartInspector`: run off the async runtime,
//! bounded in concurrency (decoding is CPU- and memory-heavy) and in time.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use tokio::sync::Semaphore;
use verifyd_domain::inspector::{InspectedPart, PartFormat, PartInspector, PartRejection};
use verifyd_domain::model::MediaType;
use verifyd_engine::upload::{inspect_image, inspect_pdf, ImageFormat, ImageLimits, InspectError};

pub struct EngineInspector {
    limits: ImageLimits,
    timeout: Duration,
    permits: Arc<Semaphore>,
}

impl EngineInspector {
    pub fn new(limits: ImageLimits, timeout: Duration) -> Self {
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            limits,
            timeout,
            permits: Arc::new(Semaphore::new(parallel * 2)),
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
            });
        }
        // The permit travels into the blocking task: a decode that outlives its timeout still
        // holds it, so at most `permits` decodes ever run at once.
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| PartRejection::Timeout)?;
        let limits = self.limits;
        let work = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            inspect(format, &bytes, &limits)
        });
        match tokio::time::timeout(self.timeout, work).await {
            Ok(Ok(result)) => result,
            Ok(Err(error)) => Err(PartRejection::Corrupt(format!(
                "inspection failed: {error}"
            ))),
            Err(_) => Err(PartRejection::Timeout),
        }
    }
}

fn inspect(
    format: PartFormat,
    bytes: &[u8],
    limits: &ImageLimits,
) -> Result<InspectedPart, PartRejection> {
    match format {
        PartFormat::Image => inspect_image(bytes, limits)
            .map(|info| InspectedPart {
                media_type: match info.format {
                    ImageFormat::Jpeg => MediaType::Jpeg,
                    ImageFormat::Png => MediaType::Png,
                },
                width: Some(info.width),
                height: Some(info.height),
            })
            .map_err(rejection),
        PartFormat::Pdf => inspect_pdf(bytes)
            .map(|_| InspectedPart {
                media_type: MediaType::Pdf,
                width: None,
                height: None,
            })
            .map_err(rejection),
        PartFormat::Facemap => Ok(InspectedPart {
            media_type: MediaType::OctetStream,
            width: None,
            height: None,
        }),
    }
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
