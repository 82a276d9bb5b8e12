//! ONNX Runtime, loaded from the shared library that `scripts/fetch-models` installs, and the
//! sessions made with it.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;

use super::ModelError;

/// ONNX Runtime allows one environment per process; every reader shares it. The library it
/// was loaded from stays loaded for the life of the process, so the first path wins.
static ENVIRONMENT: Mutex<Option<Environment>> = Mutex::new(None);

pub(crate) fn environment(library: &Path) -> Result<Environment, ModelError> {
    let mut slot = ENVIRONMENT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(environment) = slot.as_ref() {
        return Ok(environment.clone());
    }
    if !library.is_file() {
        return Err(ModelError::Missing {
            path: library.to_path_buf(),
        });
    }
    let environment = ort::init_from(library)
        .map_err(|error| ModelError::Runtime {
            path: library.to_path_buf(),
            message: error.to_string(),
        })?
        .with_name("verifyd")
        .with_telemetry(false)
        .build()?;
    *slot = Some(environment.clone());
    Ok(environment)
}

/// `threads` is ONNX Runtime's intra-op parallelism for this session; one lets the server run
/// one job per core instead of every job on every core.
pub(crate) fn session(
    environment: &Environment,
    model: &Path,
    threads: usize,
) -> Result<Session, ModelError> {
    if !model.is_file() {
        return Err(ModelError::Missing {
            path: model.to_path_buf(),
        });
    }
    let session = Session::builder(environment)?
        .with_optimization_level(GraphOptimizationLevel::Level3)?
        .with_intra_threads(threads)?
        .with_inter_threads(1)?
        .commit_from_file(model)?;
    Ok(session)
}
