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

/// The server still answers: what every test here checks after its attack.
async fn healthy(server: &TestServer) -> Result<()> {
    let response = server.http.get(server.url("/health")).send().await?;
    anyhow::ensure!(
        response.status() == StatusCode::OK,
        "/health answered {}",
        response.status()
    );
    Ok(())
}
