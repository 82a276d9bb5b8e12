//! Hostile clients and hostile files, sent as an end user could (with a workflow token), against
//! a real server on port 0. A test binary of its own: the PDF bomb test measures this process's
//! memory (the server runs in it), which the other suites' work would blur.

mod documents;
mod early_answers;
mod polyglots;
mod slow_clients;

use anyhow::Result;
use reqwest::StatusCode;

use verifyd_testkit::TestServer;

/// The server still answers: what every test here checks after its attack. Asked on a new
/// connection: the harness's pooled one may have sat idle past a test's short header-read
/// timeout, and the server closing it as the client reuses it is a race, not an answer.
async fn healthy(server: &TestServer) -> Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    let response = client.get(server.url("/health")).send().await?;
    anyhow::ensure!(
        response.status() == StatusCode::OK,
        "/health answered {}",
        response.status()
    );
    Ok(())
}
