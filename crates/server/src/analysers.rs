//! The engine's analysers behind the domain's traits: decoding and measuring run on the blocking
//! pool, bounded in concurrency and time, so a worker never stalls the async runtime.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Semaphore;
use verifyd_domain::analysers::{
    Analysers, AnalysisError, PartImage, UsabilityAnalyser, UsabilityFinding,
};
use verifyd_domain::model::{Category, DecisionType};
use verifyd_engine::quality::{assess, QualityIssue, QualityThresholds};
use verifyd_engine::upload::{decode_image, ImageLimits};

/// The analysers that exist today.
pub fn available(limits: ImageLimits, timeout: Duration) -> Analysers {
    Analysers {
        usability: Some(Arc::new(EngineUsability::new(limits, timeout))),
    }
}

pub struct EngineUsability {
    limits: ImageLimits,
    thresholds: QualityThresholds,
    timeout: Duration,
    permits: Arc<Semaphore>,
}

impl EngineUsability {
    pub fn new(limits: ImageLimits, timeout: Duration) -> Self {
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            limits,
            thresholds: QualityThresholds::default(),
            timeout,
            permits: Arc::new(Semaphore::new(parallel)),
        }
    }
}

/// The worst issue decides the label: anything that makes the image unreadable is BAD_QUALITY;
/// a greyscale photo of a colour document is BLACK_WHITE.
fn finding(issues: &[QualityIssue]) -> (DecisionType, &'static str) {
    if issues
        .iter()
        .any(|issue| *issue != QualityIssue::BlackWhite)
    {
        (DecisionType::Rejected, "BAD_QUALITY")
    } else if issues.contains(&QualityIssue::BlackWhite) {
        (DecisionType::Rejected, "BLACK_WHITE")
    } else {
        (DecisionType::Passed, "OK")
    }
}

#[async_trait]
impl UsabilityAnalyser for EngineUsability {
    async fn usability(
        &self,
        _category: Category,
        images: Vec<PartImage>,
    ) -> Result<UsabilityFinding, AnalysisError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|error| AnalysisError(error.to_string()))?;
        let (limits, thresholds) = (self.limits, self.thresholds);
        let work = tokio::task::spawn_blocking(move || {
            // Held until the analysis really ends, even past its timeout.
            let _permit = permit;
            let mut issues = Vec::new();
            for image in &images {
                let (_, decoded) = decode_image(&image.bytes, &limits)
                    .map_err(|error| AnalysisError(format!("{}: {error}", image.classifier)))?;
                issues.extend(assess(&decoded, &thresholds).issues);
            }
            Ok::<_, AnalysisError>(issues)
        });
        let issues = tokio::time::timeout(self.timeout, work)
            .await
            .map_err(|_| AnalysisError("usability analysis timed out".to_owned()))?
            .map_err(|error| AnalysisError(error.to_string()))??;
        let (decision, label) = finding(&issues);
        Ok(UsabilityFinding {
            decision,
            label: label.to_owned(),
            data: serde_json::json!({}),
        })
    }
}
