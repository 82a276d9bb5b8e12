//! The engine's analysers behind the domain's traits: decoding and measuring run on the blocking
//! pool, bounded in concurrency and time, so a worker never stalls the async runtime.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use std::path::{Path, PathBuf};
use tokio::sync::Semaphore;
use verifyd_domain::analysers::{
    Analysers, AnalysisError, PartImage, UsabilityAnalyser, UsabilityFinding,
};
use verifyd_domain::model::{Category, DecisionType};
use verifyd_engine::quality::{assess, QualityIssue, QualityThresholds};

use verifyd_engine::faces::FaceEngine;
use verifyd_engine::ocr::TextReader;
use verifyd_engine::upload::{decode_image, ImageLimits};

use crate::config::Settings;
use crate::document_analyser::EngineDocuments;
use crate::face_analyser::EngineFaces;
use crate::serve::{image_limits, StartError};

/// The analysers that exist today, with the OCR models loaded once for the process.
pub fn available(settings: &Settings) -> Result<Analysers, StartError> {
    let limits = image_limits(settings);
    let timeout = Duration::from_millis(settings.limits.inspection_timeout_ms);
    let reader = Arc::new(load_text_reader(settings)?);
    let faces = Arc::new(load_face_engine(settings)?);
    let job_timeout = Duration::from_secs(settings.processing.job_timeout_seconds);
    Ok(Analysers {
        usability: Some(Arc::new(EngineUsability::new(limits, timeout))),
        documents: Some(Arc::new(EngineDocuments::new(
            limits,
            job_timeout,
            Some(reader.clone()),
        ))),
        faces: Some(Arc::new(EngineFaces::new(
            faces,
            Some(reader),
            limits,
            job_timeout,
        ))),
    })
}

/// Where the models are: the setting, `$VERIFYD_MODELS_DIR`, `./models`, or the source tree's.
pub fn models_dir(settings: &Settings) -> PathBuf {
    if let Some(dir) = &settings.models_dir {
        return dir.clone();
    }
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let local = PathBuf::from("models");
    let fallback = if local.is_dir() { local } else { source_tree };
    verifyd_engine::ocr::models_dir(fallback)
}

pub fn load_text_reader(settings: &Settings) -> Result<TextReader, StartError> {
    let dir = models_dir(settings);
    TextReader::load(&dir).map_err(|error| {
        StartError::Models(format!(
            "cannot load the OCR models from {}: {error} (scripts/fetch-models installs them)",
            dir.display()
        ))
    })
}

pub fn load_face_engine(settings: &Settings) -> Result<FaceEngine, StartError> {
    let dir = models_dir(settings);
    FaceEngine::load(&dir).map_err(|error| {
        StartError::Models(format!(
            "cannot load the face models from {}: {error} (scripts/fetch-models installs them)",
            dir.display()
        ))
    })
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

/// A greyscale photo of a colour document is BLACK_WHITE whatever else is wrong with it: it is
/// a copy, refused even when it reads (the domain lets a reading overrule BAD_QUALITY only).
/// Anything else that may make the image unreadable is BAD_QUALITY. The reasons list every
/// issue either way.
fn finding(issues: &[QualityIssue]) -> (DecisionType, &'static str) {
    if issues.contains(&QualityIssue::BlackWhite) {
        (DecisionType::Rejected, "BLACK_WHITE")
    } else if issues.is_empty() {
        (DecisionType::Passed, "OK")
    } else {
        (DecisionType::Rejected, "BAD_QUALITY")
    }
}

/// Runs CPU-heavy analysis on the blocking pool, at most one per permit, within `timeout`.
pub(crate) async fn off_runtime<T: Send + 'static>(
    permits: &Arc<Semaphore>,
    timeout: Duration,
    what: &str,
    work: impl FnOnce() -> Result<T, AnalysisError> + Send + 'static,
) -> Result<T, AnalysisError> {
    let permit = permits
        .clone()
        .acquire_owned()
        .await
        .map_err(|error| AnalysisError(error.to_string()))?;
    let task = tokio::task::spawn_blocking(move || {
        // Held until the analysis really ends, even past its timeout.
        let _permit = permit;
        work()
    });
    tokio::time::timeout(timeout, task)
        .await
        .map_err(|_| AnalysisError(format!("{what} analysis timed out")))?
        .map_err(|error| AnalysisError(error.to_string()))?
}

#[async_trait]
impl UsabilityAnalyser for EngineUsability {
    async fn usability(
        &self,
        _category: Category,
        images: Vec<PartImage>,
    ) -> Result<UsabilityFinding, AnalysisError> {
        let (limits, thresholds) = (self.limits, self.thresholds);
        let issues = off_runtime(&self.permits, self.timeout, "usability", move || {
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
            label: label.to_owned(),
            data,
        })
    }
}
