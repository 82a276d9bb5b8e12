//! Initiation is limited per tenant: 3 per second and 180 per minute by default.

use anyhow::{Context, Result};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

fn body() -> Value {
    json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}})
}

async fn initiate(server: &TestServer) -> Result<reqwest::Response> {
    Ok(server
        .tenant(Method::POST, "/api/v1/accounts")
        .json(&body())
        .send()
        .await?)
}

#[tokio::test]
async fn the_fourth_initiation_in_a_second_gets_429_with_retry_after() -> Result<()> {
    let server = TestServer::start_with(|settings| {
        settings.limits.initiations_per_second = 3;
        settings.limits.initiations_per_minute = 180;
    })
    .await?;
    for _ in 0..3 {
        assert_eq!(initiate(&server).await?.status(), StatusCode::OK);
    }
    let limited = initiate(&server).await?;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        limited
            .headers()
            .get("retry-after")
            .context("Retry-After")?,
        "1"
    );
    assert!(limited.headers().get("x-trackingid").is_some());
    let refusal: Value = limited.json().await?;
    assert_eq!(
        refusal,
        json!({"title": "Too Many Requests", "status": 429, "detail": "Request limit exceeded", "code": "RATE_LIMITED"})
    );

    // Another tenant is not affected; updates count as initiations too.
    let other = server.other_tenant("globex").await?;
    let theirs = server
        .as_client(&other, Method::POST, "/api/v1/accounts")
        .json(&body())
        .send()
        .await?;
    assert_eq!(theirs.status(), StatusCode::OK);

    server.advance(Duration::seconds(1));
    assert_eq!(initiate(&server).await?.status(), StatusCode::OK);

    // 180 per minute: fill the minute at 3 per second, then the 181st waits for the oldest.
    let mut sent = 4;
    while sent < 180 {
        if sent % 3 == 0 {
            server.advance(Duration::seconds(1));
        }
        assert_eq!(
            initiate(&server).await?.status(),
            StatusCode::OK,
            "initiation {sent}"
        );
        sent += 1;
    }
    // 180 initiations in the last 59 seconds: the next waits until the first three are a minute old.
    let limited = initiate(&server).await?;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        limited
            .headers()
            .get("retry-after")
            .context("Retry-After")?,
        "1"
    );
    server.advance(Duration::seconds(1));
    assert_eq!(initiate(&server).await?.status(), StatusCode::OK);
    server.stop().await
}
