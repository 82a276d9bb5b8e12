//! The served OpenAPI document against the server's behaviour: schemathesis (installed by
//! scripts/setup-schemathesis) generates requests from `/openapi.json`, valid and invalid ones,
//! follows the document's links from account creation to deletion, and checks every answer
//! against the document with all of its checks. Any server error or disagreement fails the
//! test, with schemathesis' report.
//!
//! `VERIFYD_SCHEMATHESIS_EXAMPLES` (default 50 per operation and phase) and
//! `VERIFYD_SCHEMATHESIS_SEED` (default fixed, so that a failure reproduces) tune the run.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result};
use base64::Engine;
use verifyd_server::config::MetricsToken;
use verifyd_testkit::{jpeg, pdf, png, TestServer, USER_AGENT};

const DEFAULT_EXAMPLES: &str = "50";
const DEFAULT_SEED: &str = "15";
/// A bound on the whole run, far above what it takes (about a minute on two cores).
const TIMEOUT: Duration = Duration::from_secs(900);

/// The CLI: `$VERIFYD_SCHEMATHESIS`, else the virtualenv scripts/setup-schemathesis makes.
fn cli() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("VERIFYD_SCHEMATHESIS") {
        return Ok(PathBuf::from(path));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .context("neither XDG_CACHE_HOME nor HOME is set")?;
    let cli = cache.join("verifyd/schemathesis-venv/bin/st");
    anyhow::ensure!(
        cli.is_file(),
        "schemathesis is not installed ({} is missing): run scripts/setup-schemathesis",
        cli.display()
    );
    Ok(cli)
}

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::test]
async fn the_server_does_what_its_openapi_document_says() -> Result<()> {
    let cli = cli()?;
    // Production URL rules: the document states those, not the development setting's. Metrics
    // on the main listener, so that /metrics answers what it does there: 401 to every request
    // (schemathesis sends no metrics token). Off, it is 404 (tests/api/metrics.rs).
    let server = TestServer::start_with(|settings| {
        settings.allow_local_urls = false;
        settings.metrics.token = Some(MetricsToken(
            "a-metrics-token-schemathesis-never-sends".to_owned(),
        ));
    })
    .await?;
    let credentials = format!(
        "{}:{}",
        server.tenant.client_id, server.tenant.client_secret
    );
    let basic = base64::engine::general_purpose::STANDARD.encode(credentials);
    let hooks = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/api");
    let reports = tempfile::tempdir()?;
    // The files a schema-valid upload gets (see the hooks): the server decodes every upload.
    std::fs::write(reports.path().join("photo.jpg"), jpeg(640, 480, 1))?;
    std::fs::write(reports.path().join("photo.png"), png(640, 480, 2))?;
    std::fs::write(reports.path().join("document.pdf"), pdf())?;
    let child = tokio::process::Command::new(&cli)
        .arg("run")
        .arg(server.url("/openapi.json"))
        .args(["--checks", "all"])
        .args(["--phases", "examples,coverage,fuzzing,stateful"])
        .args([
            "--max-examples",
            &setting("VERIFYD_SCHEMATHESIS_EXAMPLES", DEFAULT_EXAMPLES),
        ])
        .args([
            "--seed",
            &setting("VERIFYD_SCHEMATHESIS_SEED", DEFAULT_SEED),
        ])
        .args(["--generation-database", "none"])
        .args(["--request-timeout", "30"])
        .args(["--header", &format!("Authorization: Basic {basic}")])
        .args(["--header", &format!("User-Agent: {USER_AGENT}")])
        .args(["--output-sanitize", "false", "--no-color"])
        .arg("--report-dir")
        .arg(reports.path())
        .env("PYTHONPATH", &hooks)
        // No __pycache__ left beside the hooks in the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("SCHEMATHESIS_HOOKS", "openapi_contract_hooks")
        .env("VERIFYD_CONTRACT_SAMPLES", reports.path())
        .current_dir(reports.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("{} does not start", cli.display()))?;
    let output = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .context("schemathesis did not finish in 15 minutes")??;
    let report = String::from_utf8_lossy(&output.stdout);
    println!("{report}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    server.stop().await?;
    anyhow::ensure!(
        output.status.success(),
        "schemathesis found server errors or disagreements with the OpenAPI document (exit {:?}); its report is above",
        output.status.code()
    );
    // A run that tested nothing, or never followed a link, also exits 0.
    anyhow::ensure!(
        report.contains(" generated, ") && report.contains("Scenarios:"),
        "schemathesis generated no test case or ran no stateful scenario; its report is above"
    );
    Ok(())
}
