//! Abandoned executions expire, lose their images, and call back.

use anyhow::{Context, Result};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

async fn callback_of(receiver: &Receiver) -> Result<Value> {
    receiver.wait_for(1).await?;
    let (_, body) = receiver.all().into_iter().next().context("a callback")?;
    Ok(serde_json::from_slice(&body)?)
}

#[tokio::test]
async fn an_unused_token_expires_with_a_callback() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let account = server
        .create_account(json!({
            "customerInternalReference": "r", "workflowDefinition": {"key": 2},
            "tokenLifetime": "5m", "callbackUrl": receiver.url
        }))
        .await?;
    let execution = text(credential(&account, "ID")?, "/api/workflowExecution")?.to_owned();
    server.advance(Duration::minutes(4));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(receiver.count(), 0, "not expired before its lifetime");
    server.advance(Duration::minutes(1));
    let callback = callback_of(&receiver).await?;
    assert_eq!(
        callback["workflowExecution"]["status"],
        json!("TOKEN_EXPIRED")
    );
    let details = ok_json(server.tenant(Method::GET, &execution).send().await?).await?;
    assert_eq!(details["workflow"]["status"], json!("TOKEN_EXPIRED"));
    assert_eq!(
        details["decision"],
        json!({"type": "NOT_EXECUTED", "details": {"label": "TOKEN_EXPIRED"}, "risk": {"score": -1}})
    );
    server.stop().await
}

#[tokio::test]
async fn an_idle_session_expires_and_its_images_are_deleted() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let account = server
        .create_account(json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}, "callbackUrl": receiver.url}))
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    server
        .upload_part(token, id, "front", jpeg(900, 600, 1))
        .await?;
    let credential_id = text(id, "/id")?;
    assert_eq!(server.blobs_containing(credential_id).len(), 1);

    server.advance(Duration::minutes(15));
    let callback = callback_of(&receiver).await?;
    assert_eq!(
        callback["workflowExecution"]["status"],
        json!("SESSION_EXPIRED")
    );
    let image = format!(
        "/api/v1/accounts/{}/credentials/{credential_id}/parts/FRONT",
        text(&account, "/account/id")?
    );
    assert_eq!(
        server.tenant(Method::GET, &image).send().await?.status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        server.blobs_containing(credential_id).is_empty(),
        "the acquired image is deleted"
    );
    let status = ok_json(
        server
            .tenant(
                Method::GET,
                &format!("{}/status", text(id, "/api/workflowExecution")?),
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        status["workflowExecution"]["status"],
        json!("SESSION_EXPIRED")
    );
    let late = server
        .upload(
            token,
            Method::PUT,
            text(id, "/api/parts/front")?,
            jpeg(900, 600, 2),
            "f.jpg",
        )
        .await?;
    assert_eq!(error_json(late).await?.1["code"], json!("SESSION_EXPIRED"));
    server.stop().await
}
