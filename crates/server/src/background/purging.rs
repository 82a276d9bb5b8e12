//! The purging loop: finishes blob deletions that a crash or an outage interrupted, at start
//! and then every minute.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use verifyd_domain::Verifyd;

use super::idle;

const EVERY: Duration = Duration::from_secs(60);

/// Purges until `stop` turns true.
pub async fn purge(verifyd: Arc<Verifyd>, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match verifyd.purge_deleted_blobs().await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "finished pending blob deletions"),
            Err(error) => tracing::warn!(%error, "pending blob deletions must wait"),
        }
        idle(EVERY, &mut stop).await;
    }
}
