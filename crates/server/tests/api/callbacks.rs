//! Callbacks: signed, delivered to a real receiver, retried through the outbox.

use anyhow::{Context, Result};
use chrono::Duration;
use reqwest::Method;
use serde_json::{json, Value};
use verifyd_server::admin;
use verifyd_testkit::*;

async fn finalize_with_callback(server: &TestServer, callback_url: &str) -> Result<Value> {
    let body = json!({
        "customerInternalReference": "order-1",
        "userReference": "user-1",
        "workflowDefinition": {"key": 2},
        "callbackUrl": callback_url
    });
    let (account, token, execution) = server
        .id_with_front(body, encode_jpeg(document_photo(1280, 810, 1)))
        .await?;
    server.finalize(&token, &execution).await?;
    Ok(account)
}

#[tokio::test]
async fn a_processed_execution_calls_back_with_a_verifiable_signature() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let account = finalize_with_callback(&server, &receiver.url).await?;
    receiver.wait_for(1).await?;
    let (headers, body) = receiver.all().into_iter().next().context("a callback")?;

    let secret = admin::tenant_callback(&server.settings, "acme", None)
        .await?
        .callback_secret;
    let signature = headers
        .get("x-verifyd-signature")
        .context("signature header")?
        .to_str()?;
    assert!(signature_verifies(&secret, signature, &body), "{signature}");
    let mut forged = body.clone();
    forged.extend_from_slice(b" ");
    assert!(!signature_verifies(&secret, signature, &forged));
    assert!(!signature_verifies(
        "another tenant's secret",
        signature,
        &body
    ));

    let callback: Value = serde_json::from_slice(&body)?;
    let (account_id, execution_id) = (
        text(&account, "/account/id")?,
        text(&account, "/workflowExecution/id")?,
    );
    assert_eq!(
        callback,
        json!({
            "callbackSentAt": "2026-11-22T09:00:00.000Z",
            "userReference": "user-1",
            "workflowExecution": {
                "id": execution_id,
                "href": format!("{}/api/v1/accounts/{account_id}/workflow-executions/{execution_id}", server.base),
                "definitionKey": "2",
                "status": "PROCESSED"
            },
            "account": {"id": account_id, "href": format!("{}/api/v1/accounts/{account_id}", server.base)}
        })
    );
    let status = ok_json(
        server
            .tenant(
                Method::GET,
                &format!("/api/v1/accounts/{account_id}/workflow-executions/{execution_id}/status"),
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(status["workflowExecution"]["status"], json!("PROCESSED"));
    server.stop().await
}

#[tokio::test]
async fn a_failing_receiver_gets_the_callback_later_and_every_attempt_is_visible() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(vec![500, 503]).await?;
    let account = finalize_with_callback(&server, &receiver.url).await?;
    receiver.wait_for(1).await?;
    // The retry waits 30 s on the server's clock, then 60 s.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        receiver.count(),
        1,
        "no retry before the backoff has passed"
    );
    server.advance(Duration::seconds(30));
    receiver.wait_for(2).await?;
    server.advance(Duration::seconds(60));
    receiver.wait_for(3).await?;

    let path = format!(
        "/api/v1/accounts/{}/workflow-executions/{}/callbacks",
        text(&account, "/account/id")?,
        text(&account, "/workflowExecution/id")?
    );
    let mut listed = Value::Null;
    for _ in 0..50 {
        listed = ok_json(server.tenant(Method::GET, &path).send().await?).await?;
        if listed["callbacks"][0]["delivery"] == "DELIVERED" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let callback = &listed["callbacks"][0];
    assert_eq!(callback["delivery"], json!("DELIVERED"), "{listed}");
    assert_eq!(callback["url"], json!(receiver.url));
    let codes: Vec<Value> = callback["attempts"]
        .as_array()
        .context("attempts")?
        .iter()
        .map(|a| a["statusCode"].clone())
        .collect();
    assert_eq!(codes, vec![json!(500), json!(503), json!(200)]);
    assert_eq!(
        callback["attempts"][0]["attemptedAt"],
        json!("2026-11-22T09:00:00.000Z")
    );
    assert_eq!(
        callback["attempts"][1]["attemptedAt"],
        json!("2026-11-22T09:00:30.000Z")
    );
    assert_eq!(receiver.count(), 3, "delivered once, never again");
    server.stop().await
}
