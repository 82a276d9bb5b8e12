//! Usability: the engine's image quality measures behind the domain's `UsabilityAnalyser`.

use std::time::Duration;

use async_trait::async_trait;
use verifyd_domain::analysers::{AnalysisError, PartImage, UsabilityAnalyser, UsabilityFinding};
use verifyd_domain::model::{Category, DecisionType, Label};
use verifyd_engine::quality::{assess, QualityIssue, QualityThresholds};
use verifyd_engine::upload::{decode_image, ImageLimits};

use crate::pool::CpuPool;

pub struct EngineUsability {
    limits: ImageLimits,
    thresholds: QualityThresholds,
    timeout: Duration,
    pool: CpuPool,
}

impl EngineUsability {
    pub fn new(limits: ImageLimits, timeout: Duration, pool: CpuPool) -> Self {
        Self {
            limits,
            thresholds: QualityThresholds::default(),
            timeout,
            pool,
        }
    }
}

/// A greyscale photo of a colour document is BLACK_WHITE whatever else is wrong with it: it is
/// a copy, refused even when it reads (the domain lets a reading overrule BAD_QUALITY only).
/// Anything else that may make the image unreadable is BAD_QUALITY. The reasons list every
/// issue either way.
fn finding(issues: &[QualityIssue]) -> (DecisionType, Label) {
    if issues.contains(&QualityIssue::BlackWhite) {
        (DecisionType::Rejected, Label::BlackWhite)
    } else if issues.is_empty() {
        (DecisionType::Passed, Label::Ok)
    } else {
        (DecisionType::Rejected, Label::BadQuality)
    }
}

#[async_trait]
impl UsabilityAnalyser for EngineUsability {
    async fn usability(
        &self,
        _category: Category,
        images: Vec<PartImage>,
    ) -> Result<UsabilityFinding, AnalysisError> {
        let (limits, thresholds) = (self.limits, self.thresholds);
        let issues = self
            .pool
            .run(self.timeout, "usability", move || {
                let mut issues = Vec::new();
                for image in &images {
                    let (_, decoded) = decode_image(&image.bytes, &limits)
                        .map_err(|error| AnalysisError(format!("{}: {error}", image.classifier)))?;
                    issues.extend(assess(&decoded, &thresholds).issues);
                }
                Ok(issues)
            })
            .await?;
        let (decision, label) = finding(&issues);
        let data = if decision == DecisionType::Passed {
            serde_json::json!({})
        } else {
            let mut reasons: Vec<&str> = Vec::new();
            for reason in issues.iter().map(|issue| issue.reason()) {
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
            serde_json::json!({ "reasons": reasons })
        };
        Ok(UsabilityFinding {
            decision,
            label,
            data,
        })
    }
}
