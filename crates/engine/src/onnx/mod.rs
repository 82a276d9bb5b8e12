//! ONNX Runtime for every model of the engine (OCR, faces): one environment per process,
//! loaded from the library `scripts/fetch-models` installs, and pools of sessions.

mod pool;
mod runtime;

use std::path::{Path, PathBuf};

pub(crate) use pool::Pool;
pub(crate) use runtime::{environment, session};

/// The ONNX Runtime library, from the onnxruntime PyPI wheel.
pub const RUNTIME_LIBRARY: &str = "libonnxruntime.so.1.31.1";

/// Why a model could not be loaded. Missing files name the script that installs them, since
/// they are never in the repository.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "the model file {path} is missing: run scripts/fetch-models, or point \
         VERIFYD_MODELS_DIR at a directory that holds it"
    )]
    Missing { path: PathBuf },
    #[error("cannot load ONNX Runtime from {path} (run scripts/fetch-models): {message}")]
    Runtime { path: PathBuf, message: String },
    #[error("ONNX Runtime: {0}")]
    Onnx(#[from] ort::Error),
}

impl From<ort::Error<ort::session::builder::SessionBuilder>> for ModelError {
    fn from(error: ort::Error<ort::session::builder::SessionBuilder>) -> Self {
        ModelError::Onnx(error.into())
    }
}

/// `sessions` sessions of `model`, each running on `threads` threads.
pub(crate) fn pool(
    environment: &ort::environment::Environment,
    model: &Path,
    threads: usize,
    sessions: usize,
) -> Result<Pool, ModelError> {
    let first = session(environment, model, threads)?;
    let others = (1..sessions)
        .map(|_| session(environment, model, threads))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Pool::new(first, others))
}
