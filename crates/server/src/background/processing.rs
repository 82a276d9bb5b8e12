//! The processing loop: claims due jobs and runs them, off the request path; when idle it
//! sweeps expired executions. Runs inside `verifyd serve` and alone as `verifyd worker`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use verifyd_domain::analysers::Analysers;
use verifyd_domain::Verifyd;

use super::idle;
use crate::config::Processing;

/// Works until `stop` turns true; finishes the job in hand first.
pub async fn work(
    verifyd: Arc<Verifyd>,
    analysers: Analysers,
    settings: Processing,
    mut stop: watch::Receiver<bool>,
) {
    let lease = chrono::Duration::seconds(settings.lease_seconds);
    let poll = Duration::from_millis(settings.poll_interval_ms);
    let job_timeout = Duration::from_secs(settings.job_timeout_seconds);
    while !*stop.borrow() {
        match verifyd.claim_job(lease).await {
            Ok(Some(job)) => {
                let outcome =
                    tokio::time::timeout(job_timeout, verifyd.run_job(&analysers, &job)).await;
                let failure = match outcome {
                    Ok(Ok(completed)) => {
                        tracing::info!(job = %job.id, execution = %job.execution_id, completed, "job done");
                        None
                    }
                    Ok(Err(error)) => Some(error.to_string()),
                    Err(_) => Some(format!(
                        "the job ran longer than {}s",
                        job_timeout.as_secs()
                    )),
                };
                if let Some(error) = failure {
                    tracing::warn!(job = %job.id, attempts = job.attempts, %error, "job failed; it will be retried");
                    if let Err(error) = verifyd.retry_job(&job, &error).await {
                        tracing::warn!(%error, "could not give the job back; its lease will run out");
                    }
                }
            }
            Ok(None) => {
                match verifyd.expire_due().await {
                    Ok(0) => {}
                    Ok(expired) => tracing::info!(expired, "expired workflow executions"),
                    Err(error) => tracing::warn!(%error, "expiry sweep failed"),
                }
                // Until a job may have become due (finalized or given back, here or, on
                // PostgreSQL, in any process), or the poll interval passes, or the stop.
                tokio::select! {
                    waited = verifyd.wait_for_jobs(poll) => {
                        if let Err(error) = waited {
                            tracing::warn!(%error, "cannot wait for jobs; polling");
                            idle(poll, &mut stop).await;
                        }
                    }
                    _ = stop.changed() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot claim jobs");
                idle(poll * 4, &mut stop).await;
            }
        }
    }
}
