//! A real verifyd server on port 0 with a temporary data directory and a clock the test moves:
//! tests move the clock instead of sleeping, so that expiry and token lifetimes are tested in
//! milliseconds and never race the machine's load.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use chrono::Duration;
use reqwest::Client;
use verifyd_domain::clock::{Clock, ManualClock};
use verifyd_server::admin::IssuedCredentials;
use verifyd_server::random::OsRandom;
use verifyd_server::{RunningServer, Runtime, Settings};

use crate::files::files_below;

pub use crate::builder::TestServerBuilder;
pub use crate::requests::{wait_for_document, wait_for_scan, wait_for_status};

/// The User-Agent of [`TestServer::http`]: the server requires one.
pub const USER_AGENT: &str = "Acme Onboarding/1.0 (tests)";

/// A running server, its settings, and the tenant "acme" (or the builder's) with full
/// credentials. Stop it with [`TestServer::stop`], which waits for requests in flight and the
/// background loops.
pub struct TestServer {
    /// `http://127.0.0.1:{port}`, the base of every href the server answers.
    pub base: String,
    /// The clock the server reads, unless the builder chose the system clock.
    pub clock: Arc<ManualClock>,
    pub settings: Settings,
    pub tenant: IssuedCredentials,
    pub http: Client,
    pub(crate) server_clock: Arc<dyn Clock>,
    pub(crate) server: Option<RunningServer>,
    pub(crate) _dir: tempfile::TempDir,
}

impl TestServer {
    /// How to start one with other settings, workers, clock or tenant.
    pub fn builder<'a>() -> TestServerBuilder<'a> {
        TestServerBuilder::default()
    }

    /// A server with no processing workers (so that ACQUIRED can be observed), no initiation
    /// limits, and the clock at 2026-11-22 09:00 UTC.
    pub async fn start() -> Result<Self> {
        Self::builder().start().await
    }

    /// As [`TestServer::start`], with `configure` applied to the settings last.
    pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> Result<Self> {
        Self::builder().configure(configure).start().await
    }

    /// The clock and randomness the server runs with, for a test or benchmark that opens the
    /// same installation's domain beside it.
    pub fn runtime(&self) -> Runtime {
        Runtime {
            clock: self.server_clock.clone(),
            random: Arc::new(OsRandom),
        }
    }

    /// Stops the server and keeps its data, so that a test can change the data (as an older
    /// version or an operator would have left it) before `restart_with`.
    pub async fn halt(&mut self) -> Result<()> {
        if let Some(server) = self.server.take() {
            server.stop().await?;
        }
        Ok(())
    }

    /// Stops the server and starts a new one on the same data, as after a crash or an upgrade.
    pub async fn restart_with(mut self, configure: impl FnOnce(&mut Settings)) -> Result<Self> {
        self.halt().await?;
        configure(&mut self.settings);
        let server = verifyd_server::start(self.settings.clone(), self.runtime()).await?;
        self.base = server.base_url.clone();
        self.server = Some(server);
        Ok(self)
    }

    /// Stops the server: no connection is accepted after it, requests in flight finish, the
    /// background loops finish what they hold. The data directory goes with `self`.
    pub async fn stop(mut self) -> Result<()> {
        self.halt().await
    }

    /// `path` on this server; a whole URL (an href the server answered) is kept as it is.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    /// `GET /metrics` on the separate metrics listener, when `metrics.listen` gives one.
    pub fn metrics_url(&self) -> Option<String> {
        let address = self.server.as_ref()?.metrics_addr?;
        Some(format!("http://{address}/metrics"))
    }

    pub fn blob_dir(&self) -> PathBuf {
        self.settings.data_dir.join("blobs")
    }

    /// Every file below the blob directory whose path contains `needle`.
    pub fn blobs_containing(&self, needle: &str) -> Vec<PathBuf> {
        files_below(&self.blob_dir())
            .into_iter()
            .filter(|path| path.to_string_lossy().contains(needle))
            .collect()
    }

    /// Moves the manual clock on, as if `by` had passed.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }
}
