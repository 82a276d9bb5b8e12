//! The purging loop: finishes blob deletions that a crash or an outage interrupted, at start
//! and then every minute, by one node of the cluster per minute (the turn is taken in the
//! database).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use verifyd_domain::repository::PeriodicTask;
use verifyd_domain::Verifyd;

use super::idle;

const EVERY: Duration = Duration::from_secs(60);
/// A little under `EVERY`, so that a node whose loop runs late does not skip its turn.
const TURN: chrono::Duration = chrono::Duration::seconds(55);

/// Purges until `stop` turns true.
pub async fn purge(verifyd: Arc<Verifyd>, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match verifyd.take_turn(PeriodicTask::BlobPurge, TURN).await {
            Ok(true) => match verifyd.purge_deleted_blobs().await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "finished pending blob deletions"),
                Err(error) => tracing::warn!(%error, "pending blob deletions must wait"),
            },
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "cannot take the purge's turn"),
        }
        idle(EVERY, &mut stop).await;
    }
}
