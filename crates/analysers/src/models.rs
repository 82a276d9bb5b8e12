//! Loading the models, once per process and only where processing runs.

use std::path::{Path, PathBuf};

use verifyd_engine::faces::FaceEngine;
use verifyd_engine::ocr::TextReader;

/// The models could not be loaded: the message names the directory and how to install them.
#[derive(Debug, thiserror::Error)]
#[error("cannot load the {what} models from {dir}: {reason} (scripts/fetch-models installs them)")]
pub struct ModelError {
    what: &'static str,
    dir: String,
    reason: String,
}

/// Where the models are: `configured`, `$VERIFYD_MODELS_DIR`, `./models`, or the source tree's.
pub fn models_dir(configured: Option<&Path>) -> PathBuf {
    if let Some(dir) = configured {
        return dir.to_path_buf();
    }
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let local = PathBuf::from("models");
    let fallback = if local.is_dir() { local } else { source_tree };
    verifyd_engine::ocr::models_dir(fallback)
}

pub fn load_text_reader(dir: &Path) -> Result<TextReader, ModelError> {
    TextReader::load(dir).map_err(|error| ModelError {
        what: "OCR",
        dir: dir.display().to_string(),
        reason: error.to_string(),
    })
}

pub fn load_face_engine(dir: &Path) -> Result<FaceEngine, ModelError> {
    FaceEngine::load(dir).map_err(|error| ModelError {
        what: "face",
        dir: dir.display().to_string(),
        reason: error.to_string(),
    })
}
