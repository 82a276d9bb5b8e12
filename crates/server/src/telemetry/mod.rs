//! What `GET /metrics` reports, in the Prometheus text format (docs/metrics.md): HTTP requests
//! by route template and status with their latency, initiations refused by the rate limits,
//! processing jobs by workflow with their steps' durations, decisions by capability and label,
//! callback deliveries by outcome, imports of the watched list directory by outcome, and, read
//! from the repository at each scrape, the job queue and the database pools.
//!
//! Each server (and each `verifyd worker`) has a recorder of its own, which the `metrics`
//! macros reach through `metrics::with_local_recorder`: nothing is installed as the process's
//! global recorder, so test servers in one process never see each other's counts. Labels take
//! their values from closed sets only (route templates, methods, status codes, workflow keys,
//! capabilities, decision labels): never an id, a path as sent, or anything of a person.

mod http;
mod scrape;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use sha2::{Digest, Sha256};
use verifyd_domain::repository::{CallbackState, PoolStats, QueueStats};
use verifyd_domain::service::JobReport;

use crate::config::{self, ConfigError};

pub(crate) use http::record_requests;
pub use scrape::router;
pub(crate) use scrape::{authorize, challenge, scrape};

/// The shortest `metrics.token` accepted: it is compared by an unsalted digest, so it must be
/// too long to guess (32 random characters or more, e.g. `openssl rand -hex 32`).
const MIN_TOKEN_LENGTH: usize = 32;

/// The histograms' buckets, in seconds: a health check's milliseconds up to a job's timeout.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0,
];

/// Histogram samples wait in the recorder until a scrape (or an upkeep) folds them into the
/// buckets; folding every so many keeps memory flat when nobody scrapes.
const UPKEEP_EVERY: u64 = 1024;

const HTTP_REQUESTS: &str = "verifyd_http_requests_total";
const HTTP_DURATION: &str = "verifyd_http_request_duration_seconds";
const RATE_LIMITED: &str = "verifyd_initiations_rate_limited_total";
const JOBS: &str = "verifyd_jobs_total";
const JOB_DURATION: &str = "verifyd_job_duration_seconds";
const STEP_DURATION: &str = "verifyd_job_step_duration_seconds";
const DECISIONS: &str = "verifyd_decisions_total";
const EXECUTION_DECISIONS: &str = "verifyd_execution_decisions_total";
const CALLBACKS: &str = "verifyd_callback_deliveries_total";
const WATCHLIST_IMPORTS: &str = "verifyd_watchlist_imports_total";
const JOBS_DUE: &str = "verifyd_jobs_due";
const JOBS_LEASED: &str = "verifyd_jobs_leased";
const OLDEST_DUE_AGE: &str = "verifyd_jobs_oldest_due_age_seconds";
const DATABASE_UP: &str = "verifyd_database_up";
const POOL_CONNECTIONS: &str = "verifyd_database_pool_connections";
const POOL_MAX: &str = "verifyd_database_pool_max_connections";

/// How one run of a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    /// This worker completed it: the execution is PROCESSED.
    Completed,
    /// The job was no longer this worker's (its lease was taken over, the execution was
    /// deleted or processed meanwhile): nothing was recorded.
    Superseded,
    /// It failed and was given back for a retry.
    Failed,
    /// It ran longer than `processing.job_timeout_seconds` and was given back.
    TimedOut,
}

impl JobOutcome {
    fn key(self) -> &'static str {
        match self {
            JobOutcome::Completed => "completed",
            JobOutcome::Superseded => "superseded",
            JobOutcome::Failed => "failed",
            JobOutcome::TimedOut => "timed_out",
        }
    }
}

/// How an import of the watched list directory ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchlistImport {
    /// A new version is in force.
    Imported,
    /// The files hold the version in force: nothing was stored.
    Unchanged,
    /// Refused or failed (an empty, truncated, unreadable or shrunk list, the database): the
    /// version in force stays, the log says why.
    Refused,
}

impl WatchlistImport {
    fn key(self) -> &'static str {
        match self {
            WatchlistImport::Imported => "imported",
            WatchlistImport::Unchanged => "unchanged",
            WatchlistImport::Refused => "refused",
        }
    }
}

/// The metrics of one server or worker process, and who may read them.
pub struct Metrics {
    /// None when metrics are off: nothing is recorded.
    exporter: Option<Exporter>,
    /// The SHA-256 digest of `metrics.token`, when a scrape must bear it.
    token: Option<[u8; 32]>,
    /// Whether the main listener serves `/metrics` (a token and no `metrics.listen`).
    on_main_listener: bool,
}

struct Exporter {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    samples: AtomicU64,
}

impl Metrics {
    /// As the settings say: off unless `metrics.listen` or `metrics.token` is set.
    pub fn configured(settings: &config::Metrics) -> Result<Self, ConfigError> {
        let token = match &settings.token {
            Some(token) if token.0.chars().count() < MIN_TOKEN_LENGTH => {
                return Err(ConfigError::Invalid(format!(
                    "metrics.token must be at least {MIN_TOKEN_LENGTH} characters"
                )))
            }
            Some(token) => Some(digest(token.0.as_bytes())),
            None => None,
        };
        if settings.listen.is_none() && token.is_none() {
            return Ok(Self::off());
        }
        Ok(Self {
            exporter: Some(Exporter::new()),
            token,
            on_main_listener: settings.listen.is_none(),
        })
    }

    /// Records nothing and serves nothing.
    pub fn off() -> Self {
        Self {
            exporter: None,
            token: None,
            on_main_listener: false,
        }
    }

    pub fn is_on(&self) -> bool {
        self.exporter.is_some()
    }

    /// Whether `GET /metrics` on the main listener answers (rather than 404).
    pub fn on_main_listener(&self) -> bool {
        self.is_on() && self.on_main_listener
    }

    fn record(&self, f: impl FnOnce()) {
        if let Some(exporter) = &self.exporter {
            metrics::with_local_recorder(&exporter.recorder, f);
        }
    }

    /// Counts histogram samples, folding them into buckets every `UPKEEP_EVERY`.
    fn sampled(&self, samples: u64) {
        if let Some(exporter) = &self.exporter {
            let before = exporter.samples.fetch_add(samples, Ordering::Relaxed);
            if (before + samples) / UPKEEP_EVERY != before / UPKEEP_EVERY {
                exporter.handle.run_upkeep();
            }
        }
    }

    /// One HTTP request: `route` is the matched route's template (`None`: no route matched).
    pub fn http_request(
        &self,
        method: &Method,
        route: Option<&str>,
        status: StatusCode,
        took: Duration,
    ) {
        let method = method_label(method);
        let route = route.unwrap_or("unmatched").to_owned();
        self.record(|| {
            counter!(
                HTTP_REQUESTS,
                "method" => method,
                "route" => route.clone(),
                "status" => status.as_u16().to_string()
            )
            .increment(1);
            histogram!(HTTP_DURATION, "method" => method, "route" => route.clone())
                .record(took.as_secs_f64());
            // Only the initiation limits answer 429.
            if status == StatusCode::TOO_MANY_REQUESTS {
                counter!(RATE_LIMITED, "route" => route).increment(1);
            }
        });
        self.sampled(1);
    }

    /// One run of a processing job, with what its report says.
    pub fn job(&self, report: &JobReport, outcome: JobOutcome, took: Duration) {
        let workflow = report
            .workflow
            .map(|key| key.get().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        self.record(|| {
            counter!(JOBS, "workflow" => workflow.clone(), "outcome" => outcome.key()).increment(1);
            histogram!(JOB_DURATION, "workflow" => workflow.clone(), "outcome" => outcome.key())
                .record(took.as_secs_f64());
            for (step, took) in &report.steps {
                histogram!(STEP_DURATION, "workflow" => workflow.clone(), "step" => step.key())
                    .record(took.as_secs_f64());
            }
            if let Some((results, overall)) = &report.decisions {
                for result in results {
                    counter!(
                        DECISIONS,
                        "workflow" => workflow.clone(),
                        "capability" => result.capability.key(),
                        "decision" => wire_name(&result.decision),
                        "label" => wire_name(&result.label)
                    )
                    .increment(1);
                }
                counter!(
                    EXECUTION_DECISIONS,
                    "workflow" => workflow.clone(),
                    "decision" => wire_name(&overall.decision),
                    "label" => wire_name(&overall.label)
                )
                .increment(1);
            }
        });
        self.sampled(1 + report.steps.len() as u64);
    }

    /// One callback delivery attempt and what follows it; `None` when it could not be recorded.
    pub fn callback_attempt(&self, state: Option<CallbackState>) {
        let outcome = match state {
            Some(CallbackState::Delivered) => "delivered",
            Some(CallbackState::RetryAt(_)) => "retrying",
            Some(CallbackState::GaveUp) => "gave_up",
            None => "unrecorded",
        };
        self.record(|| counter!(CALLBACKS, "outcome" => outcome).increment(1));
    }

    /// One import of a subdirectory of the watched list directory (`screening.watch_dir`).
    pub fn watchlist_import(&self, outcome: WatchlistImport) {
        self.record(|| counter!(WATCHLIST_IMPORTS, "outcome" => outcome.key()).increment(1));
    }

    /// The text of a scrape at `now`: the gauges read from the repository (the queue's `None`
    /// when the database did not answer), then everything.
    pub fn render(
        &self,
        now: DateTime<Utc>,
        queue: Option<QueueStats>,
        pools: &[PoolStats],
    ) -> String {
        let Some(exporter) = &self.exporter else {
            return String::new();
        };
        self.record(|| {
            gauge!(DATABASE_UP).set(if queue.is_some() { 1.0 } else { 0.0 });
            if let Some(queue) = queue {
                gauge!(JOBS_DUE).set(queue.due as f64);
                gauge!(JOBS_LEASED).set(queue.leased as f64);
                let age = queue
                    .oldest_due_at
                    .map(|due| (now - due).num_milliseconds().max(0) as f64 / 1000.0)
                    .unwrap_or(0.0);
                gauge!(OLDEST_DUE_AGE).set(age);
            }
            for pool in pools {
                let in_use = pool.open.saturating_sub(pool.idle);
                gauge!(POOL_CONNECTIONS, "pool" => pool.name, "state" => "idle")
                    .set(f64::from(pool.idle));
                gauge!(POOL_CONNECTIONS, "pool" => pool.name, "state" => "in_use")
                    .set(f64::from(in_use));
                gauge!(POOL_MAX, "pool" => pool.name).set(f64::from(pool.max));
            }
        });
        exporter.handle.render()
    }

    /// Whether `presented` (the bearer token of a scrape) is the configured token; true when
    /// none is configured. The digests are compared in constant time.
    fn admits(&self, presented: Option<&str>) -> bool {
        use subtle::ConstantTimeEq;
        match (&self.token, presented) {
            (None, _) => true,
            (Some(expected), Some(presented)) => {
                bool::from(digest(presented.as_bytes()).ct_eq(expected))
            }
            (Some(_), None) => false,
        }
    }
}

impl Exporter {
    fn new() -> Self {
        let builder = PrometheusBuilder::new();
        let builder = match builder.set_buckets(BUCKETS) {
            Ok(builder) => builder,
            // Only an empty list is refused; without buckets histograms become summaries.
            Err(_) => PrometheusBuilder::new(),
        };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, describe);
        Self {
            recorder,
            handle,
            samples: AtomicU64::new(0),
        }
    }
}

/// The HELP lines.
fn describe() {
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by method, route template and status code"
    );
    describe_histogram!(
        HTTP_DURATION,
        "Time from a request's arrival to its response's headers, by method and route template"
    );
    describe_counter!(
        RATE_LIMITED,
        "Initiations refused with 429 by the per-tenant rate limits, by route template"
    );
    describe_counter!(
        JOBS,
        "Processing job runs by workflow definition key and outcome (completed, superseded, failed, timed_out)"
    );
    describe_histogram!(
        JOB_DURATION,
        "Wall time of a processing job run, by workflow definition key and outcome"
    );
    describe_histogram!(
        STEP_DURATION,
        "Wall time of one processing step of a job, by workflow definition key and step"
    );
    describe_counter!(
        DECISIONS,
        "Capability results of processed executions, by workflow, capability, decision type and label"
    );
    describe_counter!(
        EXECUTION_DECISIONS,
        "Overall decisions of processed executions, by workflow, decision type and label"
    );
    describe_counter!(
        CALLBACKS,
        "Callback delivery attempts by outcome (delivered, retrying, gave_up, unrecorded)"
    );
    describe_counter!(
        WATCHLIST_IMPORTS,
        "Imports of the watched list directory by outcome (imported, unchanged, refused)"
    );
    describe_gauge!(
        JOBS_DUE,
        "Processing jobs due and waiting for a worker, read from the database at the scrape"
    );
    describe_gauge!(
        JOBS_LEASED,
        "Processing jobs held by a worker under a live lease, read at the scrape"
    );
    describe_gauge!(
        OLDEST_DUE_AGE,
        "Seconds the longest-waiting due job has waited (0 when none waits), read at the scrape"
    );
    describe_gauge!(
        DATABASE_UP,
        "1 when the database answered the scrape's queue query in time, else 0 (the queue gauges then keep their last values)"
    );
    describe_gauge!(
        POOL_CONNECTIONS,
        "Database connections of this process, by pool and state (idle, in_use)"
    );
    describe_gauge!(
        POOL_MAX,
        "The most connections a database pool of this process opens"
    );
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The method as a label: the standard ones by name, anything else as `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A closed set's value as it is written on the wire (`REJECTED`, `NOT_A_DOCUMENT`).
fn wire_name(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => "UNKNOWN".to_owned(),
    }
}
