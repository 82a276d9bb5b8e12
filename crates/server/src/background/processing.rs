//! The processing loop: claims due jobs and runs them, off the request path; when idle it
//! sweeps expired executions (one worker in the cluster per second). Runs inside `verifyd serve` and alone as `verifyd worker`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use verifyd_domain::analysers::Analysers;
use verifyd_domain::repository::PeriodicTask;
use verifyd_domain::service::JobReport;
use verifyd_domain::Verifyd;

use super::idle;
use crate::config::Processing;
use crate::telemetry::{JobOutcome, Metrics};

/// How often expired executions are swept, on the domain's clock: once per interval across
/// every worker of every node on the database (the turn is taken in the database), and asked
/// for by each worker at most this often. Expiry is due minutes after an event; a second's
/// delay is none a user can see.
const SWEEP_EVERY: chrono::Duration = chrono::Duration::seconds(1);

/// How often data retention is swept, on the domain's clock, by one worker of the cluster:
/// retention counts in days, and an hour late is none.
const RETENTION_EVERY: chrono::Duration = chrono::Duration::hours(1);

/// Purges what the tenants' data retention says is due, if it is this node's turn.
async fn sweep_retention(verifyd: &Verifyd) {
    match verifyd
        .take_turn(PeriodicTask::RetentionSweep, RETENTION_EVERY)
        .await
    {
        Ok(true) => match verifyd.sweep_retention().await {
            Ok(swept) if !swept.purged_any() => {}
            Ok(swept) => tracing::info!(
                executions = swept.executions,
                accounts = swept.accounts,
                document_verifications = swept.document_verifications,
                kept_as_fraud = swept.kept_as_fraud,
                kept_as_relied_on = swept.kept_as_relied_on,
                "purged by data retention"
            ),
            Err(error) => tracing::warn!(%error, "data retention sweep failed"),
        },
        Ok(false) => {}
        Err(error) => tracing::warn!(%error, "cannot take the data retention sweep's turn"),
    }
}

/// Expires what is due (executions, and Document Verification transactions never finalized),
/// if it is this node's turn; then purges what retention says is due, if its turn has come.
async fn sweep(verifyd: &Verifyd) {
    match verifyd
        .take_turn(PeriodicTask::ExpirySweep, SWEEP_EVERY)
        .await
    {
        Ok(true) => {
            match verifyd.expire_due().await {
                Ok(0) => {}
                Ok(expired) => tracing::info!(expired, "expired workflow executions"),
                Err(error) => tracing::warn!(%error, "expiry sweep failed"),
            }
            match verifyd.fail_stale_documents().await {
                Ok(0) => {}
                Ok(failed) => tracing::info!(failed, "failed unfinalized document verifications"),
                Err(error) => tracing::warn!(%error, "document verification sweep failed"),
            }
        }
        Ok(false) => {}
        Err(error) => tracing::warn!(%error, "cannot take the expiry sweep's turn"),
    }
    sweep_retention(verifyd).await;
}

/// Reads the pages of one finalized Document Verification transaction, if one waits; true
/// when one did. A failure leaves it to its lease, after which a worker takes it again.
async fn read_document(
    verifyd: &Verifyd,
    analysers: &Analysers,
    lease: chrono::Duration,
    timeout: Duration,
) -> bool {
    match tokio::time::timeout(timeout, verifyd.process_next_document(analysers, lease)).await {
        Ok(Ok(processed)) => processed,
        Ok(Err(error)) => {
            tracing::warn!(%error, "a document verification could not be read; it will be retried");
            false
        }
        Err(_) => {
            tracing::warn!("a document verification ran out of time; it will be retried");
            false
        }
    }
}

/// Works until `stop` turns true; finishes the job in hand first.
pub async fn work(
    verifyd: Arc<Verifyd>,
    analysers: Analysers,
    settings: Processing,
    metrics: Arc<Metrics>,
    mut stop: watch::Receiver<bool>,
) {
    let lease = chrono::Duration::seconds(settings.lease_seconds);
    let poll = Duration::from_millis(settings.poll_interval_ms);
    let job_timeout = Duration::from_secs(settings.job_timeout_seconds);
    let mut last_sweep = DateTime::<Utc>::MIN_UTC;
    while !*stop.borrow() {
        match verifyd.claim_job(lease).await {
            Ok(Some(job)) => {
                let mut report = JobReport::default();
                let started = Instant::now();
                let outcome = tokio::time::timeout(
                    job_timeout,
                    verifyd.run_job_reporting(&analysers, &job, &mut report),
                )
                .await;
                let took = started.elapsed();
                let (failure, ended) = match outcome {
                    Ok(Ok(completed)) => {
                        tracing::info!(job = %job.id, execution = %job.execution_id, completed, "job done");
                        let ended = if completed {
                            JobOutcome::Completed
                        } else {
                            JobOutcome::Superseded
                        };
                        (None, ended)
                    }
                    Ok(Err(error)) => (Some(error.to_string()), JobOutcome::Failed),
                    Err(_) => (
                        Some(format!(
                            "the job ran longer than {}s",
                            job_timeout.as_secs()
                        )),
                        JobOutcome::TimedOut,
                    ),
                };
                metrics.job(&report, ended, took);
                if let Some(error) = failure {
                    tracing::warn!(job = %job.id, attempts = job.attempts, %error, "job failed; it will be retried");
                    if let Err(error) = verifyd.retry_job(&job, &error).await {
                        tracing::warn!(%error, "could not give the job back; its lease will run out");
                    }
                }
            }
            Ok(None) => {
                // Document Verification transactions queue beside the jobs (their own stage).
                if read_document(&verifyd, &analysers, lease, job_timeout).await {
                    continue;
                }
                let now = verifyd.clock().now();
                if now - last_sweep >= SWEEP_EVERY {
                    last_sweep = now;
                    sweep(&verifyd).await;
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
