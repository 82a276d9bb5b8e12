//! The one pool of CPU slots that every heavy analysis runs in. Each adapter made its own
//! semaphore sized to the cores before, so that usability, documents and faces together could
//! run three times the cores of heavy work at once; they now share one, sized once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use verifyd_domain::analysers::AnalysisError;

/// Slots for CPU-heavy work on the blocking pool, shared by every analyser of a process.
#[derive(Debug, Clone)]
pub struct CpuPool {
    slots: Arc<Semaphore>,
}

impl CpuPool {
    /// A pool of `slots`, or of the machine's cores when None.
    pub fn new(slots: Option<usize>) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            slots: Arc::new(Semaphore::new(slots.unwrap_or(cores).max(1))),
        }
    }

    /// Runs `work` on the blocking pool in a free slot, within `timeout`. The slot is held
    /// until the work really ends, even past its timeout, so that abandoned work still counts.
    pub async fn run<T: Send + 'static>(
        &self,
        timeout: Duration,
        what: &str,
        work: impl FnOnce() -> Result<T, AnalysisError> + Send + 'static,
    ) -> Result<T, AnalysisError> {
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|error| AnalysisError(error.to_string()))?;
        let task = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work()
        });
        tokio::time::timeout(timeout, task)
            .await
            .map_err(|_| AnalysisError(format!("{what} analysis timed out")))?
            .map_err(|error| AnalysisError(error.to_string()))?
    }
}
