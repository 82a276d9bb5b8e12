//! Sessions shared between threads. ONNX Runtime's `run` takes the session mutably in `ort`,
//! so each session is behind a lock, and a reader holds a few of them when jobs run in
//! parallel.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, TryLockError};

use ort::session::Session;

/// Never empty: `first` always exists.
pub(crate) struct Pool {
    first: Mutex<Session>,
    others: Vec<Mutex<Session>>,
    next: AtomicUsize,
}

impl Pool {
    pub fn new(first: Session, others: Vec<Session>) -> Self {
        Self {
            first: Mutex::new(first),
            others: others.into_iter().map(Mutex::new).collect(),
            next: AtomicUsize::new(0),
        }
    }

    fn sessions(&self) -> impl Iterator<Item = &Mutex<Session>> {
        std::iter::once(&self.first).chain(&self.others)
    }

    /// Runs `work` on a free session, or waits for one, taken in turn so that waiting threads
    /// spread over the pool.
    pub fn with<R>(&self, work: impl FnOnce(&mut Session) -> R) -> R {
        for session in self.sessions() {
            match session.try_lock() {
                Ok(mut session) => return work(&mut session),
                Err(TryLockError::Poisoned(poisoned)) => return work(&mut poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let turn = self.next.fetch_add(1, Ordering::Relaxed) % (self.others.len() + 1);
        let session = self.sessions().nth(turn).unwrap_or(&self.first);
        let mut session = session.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut session)
    }
}
