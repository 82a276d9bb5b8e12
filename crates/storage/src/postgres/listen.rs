//! Waking idle workers across processes: every change that makes a job due sends
//! `pg_notify(JOBS_CHANNEL, '')` in its transaction, and each repository keeps one connection
//! LISTENing on that channel, in a task that wakes the process's waiters (`JobWake`) for each
//! notification. The connection is its own (a pool of one beside the repository's), so that
//! listening takes nothing from the queries' pool. A notification sent while the connection was
//! down is lost: after any loss the task wakes every waiter once, and waiters never sleep past
//! their `at_most` anyway.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::PgPool;

use crate::wake::JobWake;
use crate::StorageError;

/// The channel on which a job made due is announced.
pub(super) const JOBS_CHANNEL: &str = "verifyd_jobs";

/// How long the task waits before listening again after an error.
const RETRY: Duration = Duration::from_secs(1);

/// The listening task; it stops when this is dropped (with the repository).
pub(super) struct Listening {
    task: tokio::task::AbortHandle,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Connects, LISTENs (so that a job made due from now on wakes this process's waiters), and
/// leaves the rest to a task.
pub(super) async fn start(
    options: PgConnectOptions,
    wake: Arc<JobWake>,
) -> Result<Listening, StorageError> {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_with(options)
        .await?;
    let listener = listen(&pool).await?;
    let task = tokio::spawn(relay(pool, listener, wake));
    Ok(Listening {
        task: task.abort_handle(),
    })
}

async fn listen(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(JOBS_CHANNEL).await?;
    Ok(listener)
}

/// Wakes the waiters for every notification, for ever; after an error, listens anew.
async fn relay(pool: PgPool, mut listener: PgListener, wake: Arc<JobWake>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(_)) => wake.wake(),
            Ok(None) => {
                // The connection was lost and made anew: what was sent meanwhile is lost.
                tracing::warn!("the connection listening for due jobs was lost and remade");
                wake.wake();
            }
            Err(error) => {
                tracing::warn!(%error, "listening for due jobs failed; idle workers poll until it is back");
                drop(listener);
                listener = loop {
                    tokio::time::sleep(RETRY).await;
                    match listen(&pool).await {
                        Ok(listener) => break listener,
                        Err(error) => {
                            tracing::debug!(%error, "cannot listen for due jobs yet");
                        }
                    }
                };
                wake.wake();
            }
        }
    }
}
