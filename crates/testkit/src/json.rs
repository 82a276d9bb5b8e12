//! Reading the server's JSON answers, so that a failing test shows what came back.

use anyhow::{Context, Result};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

/// The JSON body of a 200 response, or an error showing what came back.
pub async fn ok_json(response: Response) -> Result<Value> {
    let status = response.status();
    let text = response.text().await?;
    anyhow::ensure!(
        status == StatusCode::OK,
        "expected 200, got {status}: {text}"
    );
    Ok(serde_json::from_str(&text)?)
}

/// Status and JSON body of an error response, checking the error body's shape on the way.
pub async fn error_json(response: Response) -> Result<(StatusCode, Value)> {
    let status = response.status();
    let tracking = response.headers().get("x-trackingid").is_some();
    let text = response.text().await?;
    let body: Value = serde_json::from_str(&text).with_context(|| format!("{status}: {text}"))?;
    anyhow::ensure!(tracking, "no X-Trackingid on {status}");
    anyhow::ensure!(
        body["httpStatus"] == json!(status.as_u16().to_string())
            && body["code"].is_string()
            && body["message"].is_string()
            && body["requestURI"]
                .as_str()
                .is_some_and(|uri| uri.starts_with('/')),
        "malformed error body: {body}"
    );
    Ok((status, body))
}

/// The error body of a response that must be refused with `status` and `code`.
pub async fn refused(response: Response, status: StatusCode, code: &str) -> Result<Value> {
    let (got, error) = error_json(response).await?;
    anyhow::ensure!(
        (got, error["code"].as_str()) == (status, Some(code)),
        "expected {status} {code}, got {got}: {error}"
    );
    Ok(error)
}

/// The consent a request for a selfie must carry.
pub fn consent() -> Value {
    json!({
        "userIp": "192.0.2.10",
        "userLocation": {"country": "USA", "state": "IL"},
        "consent": {"obtained": "yes", "obtainedAt": "2026-11-01T10:00:00.000Z"}
    })
}

/// The credential of `category` in an account response.
pub fn credential<'a>(account: &'a Value, category: &str) -> Result<&'a Value> {
    account["workflowExecution"]["credentials"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["category"] == category))
        .with_context(|| format!("no {category} credential in {account}"))
}

/// The string at `pointer`, or an error showing the whole value.
pub fn text<'a>(value: &'a Value, pointer: &str) -> Result<&'a str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .with_context(|| format!("no string at {pointer} in {value}"))
}

/// A capability entry's decision type and label.
pub fn decision_of(entry: &Value) -> (String, String) {
    let field = |pointer: &str| {
        entry
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    (field("/decision/type"), field("/decision/details/label"))
}

/// A decision as [`decision_of`] returns it, to compare with.
pub fn pair(kind: &str, label: &str) -> (String, String) {
    (kind.to_owned(), label.to_owned())
}

/// The workflow token in a `web.href` or v4 `redirectUrl`, as the web client reads it.
pub fn authorization_token(href: &str) -> Result<String> {
    url::Url::parse(href)?
        .query_pairs()
        .find(|(name, _)| name == "authorizationToken")
        .map(|(_, value)| value.into_owned())
        .context("authorizationToken in the URL")
}
