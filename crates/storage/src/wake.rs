//! Waking idle workers when a job may have become due (`Repository::wait_for_jobs`). Each
//! backend calls `wake` when it learns of such a change: SQLite from its own finalize and
//! reschedule, PostgreSQL from the notifications of every process on the database.

use std::time::Duration;

use tokio::sync::Notify;

#[derive(Debug, Default)]
pub(crate) struct JobWake {
    notify: Notify,
}

impl JobWake {
    /// Wakes every waiter, and leaves one permit for the next: a worker that was between its
    /// empty claim and its wait when the job came does not sleep through it. (At worst that
    /// permit wakes a worker once for nothing, which costs it one claim.)
    pub(crate) fn wake(&self) {
        self.notify.notify_waiters();
        self.notify.notify_one();
    }

    /// Returns when woken, or after `at_most`.
    pub(crate) async fn wait(&self, at_most: Duration) {
        let _ = tokio::time::timeout(at_most, self.notify.notified()).await;
    }
}
