//! The engine behind the domain's ports. The domain asks for usability, a document's reading,
//! faces and the inspection of uploads; this crate answers with `verifyd-engine`, running the
//! heavy work off the async runtime in one pool of CPU slots, each analysis bounded in time.
//! Nothing here knows HTTP or the server's configuration: the server hands in
//! [`AnalyserSettings`].

pub mod documents;
pub mod explain;
pub mod faces;
pub mod inspector;
mod models;
pub mod pages;
pub mod pool;
pub mod sandbox;
pub mod screening;
pub mod usability;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use verifyd_domain::analysers::Analysers;
pub use verifyd_engine::upload::{inspect_image, ImageLimits};

pub use models::{load_face_engine, load_text_reader, models_dir, ModelError};
pub use pool::{CpuPool, PoolError};

/// What the analysers need to know of the installation.
#[derive(Debug, Clone)]
pub struct AnalyserSettings {
    /// The models' directory; None: `$VERIFYD_MODELS_DIR`, `./models`, or the source tree's.
    pub models_dir: Option<PathBuf>,
    pub limits: ImageLimits,
    /// The most one image's quality measure may take.
    pub inspection_timeout: Duration,
    /// The most a document's reading or a face analysis may take.
    pub job_timeout: Duration,
    /// CPU slots for heavy analysis at once; None: one per core.
    pub cpu_slots: Option<usize>,
}

/// The analysers that exist today, with the models loaded once for the process and one pool of
/// CPU slots shared by all of them.
pub fn available(settings: &AnalyserSettings) -> Result<Analysers, ModelError> {
    available_in(settings, CpuPool::new(settings.cpu_slots))
}

/// As [`available`], in `pool`: the server's one pool, which upload inspection shares.
pub fn available_in(settings: &AnalyserSettings, pool: CpuPool) -> Result<Analysers, ModelError> {
    let dir = models_dir(settings.models_dir.as_deref());
    let reader = Arc::new(load_text_reader(&dir)?);
    let faces = Arc::new(load_face_engine(&dir)?);
    let limits = settings.limits;
    Ok(Analysers {
        usability: Some(Arc::new(usability::EngineUsability::new(
            limits,
            settings.inspection_timeout,
            pool.clone(),
        ))),
        documents: Some(Arc::new(documents::EngineDocuments::new(
            limits,
            settings.job_timeout,
            Some(reader.clone()),
            pool.clone(),
        ))),
        faces: Some(Arc::new(faces::EngineFaces::new(
            faces,
            Some(reader.clone()),
            limits,
            settings.job_timeout,
            pool.clone(),
        ))),
        pages: Some(Arc::new(pages::EnginePages::new(
            reader,
            limits,
            settings.job_timeout,
            pool,
        ))),
    })
}
