//! The delivery loop: the outbox's due callbacks are claimed with a lease and attempted
//! (`callbacks::attempt` signs and sends one), every attempt recorded.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use verifyd_domain::Verifyd;

use super::idle;
use crate::callbacks::{self, MasterKey};
use crate::links::Links;
use crate::telemetry::Metrics;

/// How long a claimed callback stays with this deliverer before another may take it.
const LEASE_SECONDS: i64 = 120;

/// Delivers due callbacks until `stop` turns true.
pub async fn deliver(
    verifyd: Arc<Verifyd>,
    links: Arc<Links>,
    key: MasterKey,
    allow_local: bool,
    poll: Duration,
    metrics: Arc<Metrics>,
    mut stop: watch::Receiver<bool>,
) {
    while !*stop.borrow() {
        match verifyd
            .claim_callback(chrono::Duration::seconds(LEASE_SECONDS))
            .await
        {
            Ok(Some(claimed)) => {
                let attempt =
                    callbacks::attempt(&verifyd, &links, &key, allow_local, &claimed).await;
                let delivered = attempt
                    .status_code
                    .is_some_and(|code| (200..300).contains(&code));
                match verifyd
                    .finish_callback_attempt(&claimed, attempt, delivered)
                    .await
                {
                    Ok(state) => {
                        metrics.callback_attempt(Some(state));
                        tracing::info!(callback = %claimed.callback.id, ?state, "callback attempt")
                    }
                    Err(error) => {
                        metrics.callback_attempt(None);
                        tracing::warn!(%error, "could not record a callback attempt")
                    }
                }
            }
            Ok(None) => {
                idle(poll, &mut stop).await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot claim callbacks");
                idle(poll * 4, &mut stop).await;
            }
        }
    }
}
