//! Health, supported and accepted ID types, the OpenAPI document, and the error format of
//! requests no handler takes.

use anyhow::{Context, Result};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

#[tokio::test]
async fn health_reports_storage_from_real_checks() -> Result<()> {
    let server = TestServer::start().await?;
    let response = server.http.get(server.url("/health")).send().await?;
    assert_eq!(response.status(), StatusCode::OK);
    let health: Value = response.json().await?;
    assert_eq!(
        health,
        json!({"status": "UP", "details": {"api": "UP", "retrieval": "UP", "processing": "UP"}})
    );

    // Overlapping probes (liveness and readiness at once) do not disturb each other.
    let probes = (0..16).map(|_| server.http.get(server.url("/health")).send());
    for probe in futures::future::join_all(probes).await {
        assert_eq!(probe?.status(), StatusCode::OK);
    }

    // A finalized execution nobody processes (this server runs no worker) makes processing
    // DEGRADED once it has waited over two minutes.
    let body = json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}});
    let (_, token, execution) = server.id_with_front(body, jpeg(800, 600, 1)).await?;
    server.finalize(&token, &execution).await?;
    server.advance(chrono::Duration::minutes(3));
    let behind: Value = server
        .http
        .get(server.url("/health"))
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(behind["status"], json!("DEGRADED"));
    assert_eq!(behind["details"]["processing"], json!("DEGRADED"));

    // A blob store that cannot be written is reported, not hidden (a file where the directory
    // was: unwritable even for root, which ignores permissions).
    let blobs = server.blob_dir();
    std::fs::remove_dir_all(&blobs)?;
    std::fs::write(&blobs, b"not a directory")?;
    let down = server.http.get(server.url("/health")).send().await?;
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = down.json().await?;
    assert_eq!(body["status"], json!("DOWN"));
    assert_eq!(body["details"]["api"], json!("DOWN"));
    server.stop().await
}

#[tokio::test]
async fn supported_id_types_cover_every_country_with_back_side_rules() -> Result<()> {
    let server = TestServer::start().await?;
    let supported = ok_json(
        server
            .tenant(Method::GET, "/api/netverify/v2/supportedIdTypes")
            .send()
            .await?,
    )
    .await?;
    assert_eq!(supported["timestamp"], json!("2026-11-22T09:00:00.000Z"));
    let countries = supported["supportedIdTypes"].as_array().context("array")?;
    assert_eq!(countries.len(), 250, "249 ISO 3166-1 countries and Kosovo");
    let find = |code: &str| countries.iter().find(|c| c["countryCode"] == code).cloned();
    let netherlands = find("NLD").context("NLD")?;
    assert_eq!(netherlands["countryName"], json!("Netherlands"));
    let types: Vec<(String, bool)> = netherlands["idTypes"]
        .as_array()
        .context("idTypes")?
        .iter()
        .map(|t| {
            (
                t["idType"].as_str().unwrap_or_default().to_owned(),
                t["acquisitionConfig"]["backSide"] == json!(true),
            )
        })
        .collect();
    assert_eq!(
        types,
        vec![
            ("ID_CARD".to_owned(), true),
            ("DRIVING_LICENSE".to_owned(), true),
            ("PASSPORT".to_owned(), false)
        ]
    );
    assert!(find("XKX").is_some());
    let usa = find("USA").context("USA")?;
    assert!(usa["idTypes"]
        .as_array()
        .is_some_and(|t| t.iter().all(|t| t["idType"] != "ID_CARD")));

    let accepted = ok_json(
        server
            .tenant(Method::GET, "/api/netverify/v2/acceptedIdTypes")
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        accepted["acceptedIdTypes"], supported["supportedIdTypes"],
        "a new tenant accepts every supported ID"
    );
    let anonymous = server
        .http
        .get(server.url("/api/netverify/v2/supportedIdTypes"))
        .send()
        .await?;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    server.stop().await
}

#[tokio::test]
async fn the_committed_openapi_document_matches_the_handlers() -> Result<()> {
    let generated = verifyd_server::openapi::document();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(path, &generated)?;
    }
    let committed = std::fs::read_to_string(path)
        .context("openapi.json is missing; run UPDATE_OPENAPI=1 cargo test")?;
    assert!(committed == generated, "openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p verifyd-server the_committed_openapi` and commit it");

    let server = TestServer::start().await?;
    let served: Value = server
        .http
        .get(server.url("/openapi.json"))
        .send()
        .await?
        .json()
        .await?;
    let parsed: Value = serde_json::from_str(&generated)?;
    assert_eq!(served, parsed);
    for path in [
        "/api/v1/accounts",
        "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/credentials/{credentialId}/parts/{classifier}",
        "/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}/status",
        "/oauth2/token",
        "/health",
    ] {
        assert!(parsed["paths"].get(path).is_some(), "{path} missing from the document");
    }
    // One declaration per route: the same path under two parameter names is one route twice.
    let mut shapes = std::collections::BTreeMap::new();
    for path in parsed["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.keys())
    {
        let shape: Vec<&str> = path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "{}"
                } else {
                    segment
                }
            })
            .collect();
        let earlier = shapes.insert(shape.join("/"), path.clone());
        assert!(
            earlier.is_none(),
            "{earlier:?} and {path} declare one route twice"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn unknown_routes_and_methods_get_the_json_error_body_and_a_tracking_id() -> Result<()> {
    let server = TestServer::start().await?;
    let (status, body) = error_json(
        server
            .tenant(Method::GET, "/api/v1/nothing-here")
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("NOT_FOUND"))
    );
    assert_eq!(body["requestURI"], json!("/api/v1/nothing-here"));
    let (status, body) = error_json(
        server
            .tenant(Method::PATCH, "/api/v1/accounts")
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("METHOD_NOT_ALLOWED"))
    );
    let ok = server.http.get(server.url("/health")).send().await?;
    let tracking = ok
        .headers()
        .get("x-trackingid")
        .context("X-Trackingid")?
        .to_str()?;
    uuid::Uuid::parse_str(tracking)?;
    server.stop().await
}
