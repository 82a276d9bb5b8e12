//! The one pool of CPU slots that every heavy analysis runs in, upload inspection included.
//! Each adapter made its own semaphore sized to the cores before, so that upload inspection,
//! usability, documents and faces together could run about five times the cores of heavy work
//! at once; they now share one, sized once (`cpu_slots`). An upload may then wait for a slot
//! behind processing's analyses (each holds one for well under a second on a real image);
//! its inspection's timeout counts from when it has one.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
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
        match self.run_within(timeout, work).await {
            Ok(outcome) => outcome,
            Err(PoolError::TimedOut) => Err(AnalysisError(format!("{what} analysis timed out"))),
            Err(PoolError::Failed(message)) => Err(AnalysisError(message)),
        }
    }

    /// As [`CpuPool::run`], telling a timeout apart (upload inspection answers it differently).
    pub async fn run_within<T: Send + 'static>(
        &self,
        timeout: Duration,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PoolError> {
        let slot = self.slot().await?;
        let task = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work()
        });
        tokio::time::timeout(timeout, task)
            .await
            .map_err(|_| PoolError::TimedOut)?
            .map_err(|error| PoolError::Failed(error.to_string()))
    }

    /// A slot for heavy work that runs elsewhere (a child process), held until dropped.
    pub async fn slot(&self) -> Result<OwnedSemaphorePermit, PoolError> {
        self.slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|error| PoolError::Failed(error.to_string()))
    }
}

/// Why pooled work gave no answer.
#[derive(Debug)]
pub enum PoolError {
    TimedOut,
    /// The pool was closed, or the work panicked.
    Failed(String),
}
