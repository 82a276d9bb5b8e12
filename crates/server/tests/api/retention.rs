//! Data retention (the portal's "Data Retention"): a tenant's finished transactions are purged
//! once they are older than its retention period, counted from their creation; those denied as
//! fraud stay unless the tenant lets them go too. The server's own worker sweeps; the test
//! moves the clock.

use anyhow::{Context, Result};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::json;
use verifyd_domain::model::Retention;
use verifyd_domain::service::retention::RetentionSwept;
use verifyd_server::admin::{tenant_retention, RetentionChange};
use verifyd_testkit::*;

/// An account whose passport photo `front` was processed; its id and its execution's href.
async fn processed(server: &TestServer, front: Vec<u8>) -> Result<(String, String)> {
    let body = json!({"customerInternalReference": "retention", "workflowDefinition": {"key": 2}});
    let (account, token, execution) = server.id_with_front(body, front).await?;
    server.finalize(&token, &execution).await?;
    wait_for_status(server, &format!("{execution}/status"), "PROCESSED").await?;
    Ok((text(&account, "/account/id")?.to_owned(), execution))
}

async fn status_of(server: &TestServer, href: &str) -> Result<StatusCode> {
    Ok(server.tenant(Method::GET, href).send().await?.status())
}

/// Waits (a minute at most) for the worker's sweep to purge the execution at `href`.
async fn purged(server: &TestServer, href: &str) -> Result<()> {
    for _ in 0..300 {
        if status_of(server, href).await? == StatusCode::NOT_FOUND {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    anyhow::bail!("{href} was not purged")
}

async fn set(server: &TestServer, change: RetentionChange) -> Result<Retention> {
    Ok(tenant_retention(&server.settings, "acme", change).await?)
}

#[tokio::test]
async fn finished_transactions_are_purged_when_their_retention_runs_out_and_fraud_stays(
) -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    assert_eq!(
        set(&server, RetentionChange::default()).await?,
        Retention {
            days: Some(360),
            delete_fraud: false
        },
        "a new tenant has the portal's default"
    );
    let week = set(
        &server,
        RetentionChange {
            days: Some(Some(7)),
            delete_fraud: None,
        },
    )
    .await?;
    assert_eq!(week.days, Some(7));

    let passport = encode_jpeg(passport_bearing("obama2.jpg")?.image);
    let (old_account, old) = processed(&server, passport.clone()).await?;
    let (_, fraud) = processed(&server, edited_with_photoshop(&passport)).await?;
    let details = ok_json(server.tenant(Method::GET, &fraud).send().await?).await?;
    assert_eq!(
        details["capabilities"]["imageChecks"][0]["decision"]["details"]["label"],
        json!("MANIPULATED_DOCUMENT"),
        "denied as fraud"
    );
    server.advance(Duration::days(2));
    let (_, recent) = processed(&server, passport.clone()).await?;

    // A week and a minute after the first two were created; the third is five days old.
    server.advance(Duration::days(5) + Duration::minutes(1));
    purged(&server, &old).await?;
    let update = server
        .tenant(Method::PUT, &format!("/api/v1/accounts/{old_account}"))
        .json(&json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}}))
        .send()
        .await?;
    assert_eq!(
        update.status(),
        StatusCode::NOT_FOUND,
        "the account went with its last execution"
    );
    assert_eq!(
        status_of(&server, &fraud).await?,
        StatusCode::OK,
        "fraud stays"
    );
    assert_eq!(status_of(&server, &recent).await?, StatusCode::OK);

    // The tenant lets fraud go too: the next sweep (hourly) purges it.
    let all = set(
        &server,
        RetentionChange {
            days: None,
            delete_fraud: Some(true),
        },
    )
    .await?;
    assert_eq!(
        all,
        Retention {
            days: Some(7),
            delete_fraud: true
        }
    );
    server.advance(Duration::hours(1) + Duration::minutes(1));
    purged(&server, &fraud).await?;
    assert_eq!(status_of(&server, &recent).await?, StatusCode::OK);

    // Kept forever: nothing goes, however old.
    set(
        &server,
        RetentionChange {
            days: Some(None),
            delete_fraud: None,
        },
    )
    .await?;
    server.advance(Duration::days(400));
    let beside = verifyd_server::serve::open_domain(&server.settings, &server.runtime()).await?;
    assert_eq!(
        beside.sweep_retention().await?,
        RetentionSwept::default(),
        "a sweep 400 days on purges nothing"
    );
    assert_eq!(
        status_of(&server, &recent).await?,
        StatusCode::OK,
        "kept forever"
    );
    server.stop().await.context("stopping")
}
