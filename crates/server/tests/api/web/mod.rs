//! The hosted web clients in a real browser: Debian's Chromium, driven by Playwright
//! (tests/web/drive.mjs, installed by scripts/setup-browser), against a real server. The
//! driver acts like a user and reports what it saw; these tests assert on that report and on
//! the server's API.

mod documents;
mod journeys;
mod session;
mod video;

use std::path::PathBuf;
use std::process::Stdio;

use anyhow::{Context, Result};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

fn driver_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/web")
}

/// Where the tests leave their screenshots (docs/web-client.md shows some).
pub fn shots_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/web-screenshots")
}

/// A scratch file under target/ for videos and uploads.
pub fn scratch(name: &str) -> Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/web-scratch");
    std::fs::create_dir_all(&dir)?;
    // Chromium's fake camera does not open a path with `..` in it.
    Ok(dir.canonicalize()?.join(name))
}

/// Runs one order through the browser; the driver's report.
pub async fn drive(order: Value) -> Result<Value> {
    let dir = driver_dir();
    anyhow::ensure!(
        dir.join("node_modules/playwright-core").is_dir(),
        "the browser driver is not installed: run scripts/setup-browser"
    );
    let mut child = tokio::process::Command::new("node")
        .arg(dir.join("drive.mjs"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("node (Node.js 20) runs the browser driver")?;
    let mut stdin = child.stdin.take().context("driver stdin")?;
    stdin
        .write_all(serde_json::to_string(&order)?.as_bytes())
        .await?;
    drop(stdin);
    let output = tokio::time::timeout(
        std::time::Duration::from_secs(240),
        child.wait_with_output(),
    )
    .await
    .context("the browser driver did not finish in 240 s")??;
    anyhow::ensure!(
        output.status.success(),
        "driver failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    if std::env::var_os("DRIVE_DEBUG").is_some() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    }
    let report: Value = serde_json::from_slice(&output.stdout)
        .with_context(|| String::from_utf8_lossy(&output.stdout).into_owned())?;
    Ok(report)
}

/// The steps the driver saw, in order.
pub fn steps(report: &Value) -> Vec<String> {
    report["screens"]
        .as_array()
        .map(|screens| {
            screens
                .iter()
                .filter_map(|s| s["step"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// No accessibility violation of impact serious or critical, no CSP violation, no script error.
pub fn assert_clean(report: &Value) {
    assert_eq!(report["violations"], serde_json::json!([]), "axe: {report}");
    assert_eq!(report["csp"], serde_json::json!([]), "CSP: {report}");
    assert_eq!(report["errors"], serde_json::json!([]), "errors: {report}");
}

/// The query of `url`, as name and value pairs.
pub fn query(url: &str) -> Result<Vec<(String, String)>> {
    Ok(url::Url::parse(url)?
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// The value of `name` among `pairs`.
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
