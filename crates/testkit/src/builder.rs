//! The options of a [`TestServer`]: one place that knows how a test server differs from
//! `verifyd serve`, so that the API tests, the hardening tests and the benchmarks agree.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{DateTime, TimeZone, Utc};
use reqwest::Client;
use verifyd_domain::clock::{Clock, ManualClock, SystemClock};
use verifyd_server::{admin, Settings};

use crate::server::{TestServer, USER_AGENT};

/// The name of the server's PDF inspector program, a binary of verifyd-server.
const PDF_INSPECTOR: &str = "verifyd-inspect-pdf";

/// What the server's clock reads.
enum Start {
    /// A manual clock from this instant: the test moves it.
    At(DateTime<Utc>),
    /// The machine's clock, as `verifyd serve` reads it.
    System,
}

/// A change to the settings, applied after the builder's own.
type Override<'a> = Box<dyn FnOnce(&mut Settings) + 'a>;

/// Builds a [`TestServer`]; [`TestServer::start`] is `TestServer::builder().start()`.
pub struct TestServerBuilder<'a> {
    tenant: String,
    start: Option<Start>,
    workers: usize,
    user_agent: String,
    pdf_inspector: Option<PathBuf>,
    overrides: Vec<Override<'a>>,
}

impl Default for TestServerBuilder<'_> {
    fn default() -> Self {
        Self {
            tenant: "acme".to_owned(),
            start: None,
            workers: 0,
            user_agent: USER_AGENT.to_owned(),
            pdf_inspector: None,
            overrides: Vec::new(),
        }
    }
}

impl<'a> TestServerBuilder<'a> {
    /// Processing workers inside the server; 0 (the default) leaves finalized executions
    /// ACQUIRED until a test starts workers itself, and delivers no callbacks.
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers;
        self
    }

    /// The name of the tenant created before the server starts (default "acme").
    pub fn tenant(mut self, name: &str) -> Self {
        self.tenant = name.to_owned();
        self
    }

    /// Starts the manual clock at `start` (default 2026-11-22 09:00 UTC).
    pub fn clock_at(mut self, start: DateTime<Utc>) -> Self {
        self.start = Some(Start::At(start));
        self
    }

    /// The server reads the machine's clock, as in production: for a benchmark that measures
    /// the server as it runs. [`TestServer::clock`] then moves nothing the server reads.
    pub fn system_clock(mut self) -> Self {
        self.start = Some(Start::System);
        self
    }

    /// The User-Agent of [`TestServer::http`] (default [`USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        self.user_agent = user_agent.to_owned();
        self
    }

    /// The PDF inspector program; by default the `verifyd-inspect-pdf` that Cargo built beside
    /// the running test or benchmark.
    pub fn pdf_inspector(mut self, program: impl Into<PathBuf>) -> Self {
        self.pdf_inspector = Some(program.into());
        self
    }

    /// Changes the settings after the builder's own choices, in the order given.
    pub fn configure(mut self, configure: impl FnOnce(&mut Settings) + 'a) -> Self {
        self.overrides.push(Box::new(configure));
        self
    }

    /// Creates the data directory and the tenant, then starts the server on a free port.
    pub async fn start(self) -> Result<TestServer> {
        let dir = tempfile::tempdir()?;
        let pdf_inspector = match self.pdf_inspector {
            Some(program) => program,
            None => built_pdf_inspector()?,
        };
        let mut settings = Settings {
            listen: "127.0.0.1:0".parse()?,
            data_dir: dir.path().join("data"),
            // The tests' callback receivers and redirect targets are on loopback.
            allow_local_urls: true,
            pdf_inspector: Some(pdf_inspector),
            ..Settings::default()
        };
        settings.processing.poll_interval_ms = 50;
        settings.processing.workers = self.workers;
        // Tests create accounts faster than the initiation limits allow; one test turns them on.
        settings.limits.initiations_per_second = 0;
        settings.limits.initiations_per_minute = 0;
        for configure in self.overrides {
            configure(&mut settings);
        }
        let (clock, server_clock): (Arc<ManualClock>, Arc<dyn Clock>) = match self.start {
            Some(Start::At(start)) => manual(start),
            None => manual(
                Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
                    .single()
                    .context("start time")?,
            ),
            Some(Start::System) => (
                Arc::new(ManualClock::new(SystemClock.now())),
                Arc::new(SystemClock),
            ),
        };
        let tenant = admin::create_tenant(&settings, &self.tenant).await?;
        let mut server = TestServer {
            base: String::new(),
            clock,
            settings,
            tenant,
            http: Client::builder().user_agent(self.user_agent).build()?,
            server_clock,
            server: None,
            _dir: dir,
        };
        let running = verifyd_server::start(server.settings.clone(), server.runtime()).await?;
        server.base = running.base_url.clone();
        server.server = Some(running);
        Ok(server)
    }
}

fn manual(start: DateTime<Utc>) -> (Arc<ManualClock>, Arc<dyn Clock>) {
    let clock = Arc::new(ManualClock::new(start));
    (clock.clone(), clock)
}

/// Cargo builds a package's binaries before its integration tests and benches, into the
/// profile directory above the `deps` directory that holds the test binary. The testkit cannot
/// name it with `env!("CARGO_BIN_EXE_…")`: that is set only while verifyd-server's own test
/// targets compile.
fn built_pdf_inspector() -> Result<PathBuf> {
    let running = std::env::current_exe()?;
    let program = format!("{PDF_INSPECTOR}{}", std::env::consts::EXE_SUFFIX);
    running
        .ancestors()
        .skip(1)
        .take(2)
        .map(|dir| dir.join(&program))
        .find(|candidate| candidate.is_file())
        .with_context(|| {
            format!(
                "no {program} beside {}: build verifyd-server's binaries or name it with \
                 TestServerBuilder::pdf_inspector",
                running.display()
            )
        })
}
