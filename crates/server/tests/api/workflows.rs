//! Every workflow definition key, end to end: create or update, upload real images, finalize,
//! and read back what was acquired.

use anyhow::Result;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

fn part_href(account: &Value, credential_id: &str, classifier: &str) -> Result<String> {
    Ok(format!(
        "{}/credentials/{credential_id}/parts/{classifier}",
        execution_href(account)?
    ))
}

fn execution_href(account: &Value) -> Result<String> {
    let credentials = account["workflowExecution"]["credentials"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    credentials
        .iter()
        .find_map(|c| c.pointer("/api/workflowExecution").and_then(Value::as_str))
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no API credential in {account}"))
}

fn channels(account: &Value) -> Vec<(String, Value)> {
    account["workflowExecution"]["credentials"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|c| {
                    (
                        c["category"].as_str().unwrap_or_default().to_owned(),
                        c["allowedChannels"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn details(server: &TestServer, account: &Value) -> Result<Value> {
    ok_json(
        server
            .tenant(Method::GET, &execution_href(account)?)
            .send()
            .await?,
    )
    .await
}

async fn finalize(server: &TestServer, account: &Value, token: &str) -> Result<()> {
    server.finalize(token, &execution_href(account)?).await
}

/// Workflow 2 with a front image, finalized: an ID on file for workflow 5.
async fn verified_id(server: &TestServer) -> Result<(Value, String)> {
    let account = server
        .create_account(
            json!({"customerInternalReference": "id", "workflowDefinition": {"key": 2}}),
        )
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    server
        .upload_part(token, id, "front", jpeg(1000, 640, 1))
        .await?;
    finalize(server, &account, token).await?;
    let id_credential = text(id, "/id")?.to_owned();
    Ok((account, id_credential))
}

#[tokio::test]
async fn workflow_2_id_verification_round_trip() -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "w2", "userReference": "u2", "workflowDefinition": {"key": 2}}))
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    let front = jpeg(1200, 760, 1);
    let back = png(1200, 760, 2);
    server
        .upload_part(token, id, "front", front.clone())
        .await?;
    server.upload_part(token, id, "back", back.clone()).await?;
    finalize(&server, &account, token).await?;

    let details = details(&server, &account).await?;
    assert_eq!(details["workflow"]["status"], json!("ACQUIRED"));
    assert_eq!(details["workflow"]["definitionKey"], json!("2"));
    assert_eq!(details["workflow"]["userReference"], json!("u2"));
    assert_eq!(
        details["workflow"]["customerInternalReference"],
        json!("w2")
    );
    assert_eq!(details["createdAt"], json!("2026-11-22T09:00:00.000Z"));
    assert_eq!(details["startedAt"], json!("2026-11-22T09:00:00.000Z"));
    assert!(
        details.get("decision").is_none(),
        "not decided before processing: {details}"
    );
    assert_eq!(details["capabilities"], json!({}));
    let parts = details["credentials"][0]["parts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(parts.len(), 2, "{details}");
    for (part, bytes, content_type) in [
        (&parts[0], &front, "image/jpeg"),
        (&parts[1], &back, "image/png"),
    ] {
        let image = server
            .tenant(Method::GET, text(part, "/href")?)
            .send()
            .await?;
        assert_eq!(image.headers()["content-type"], content_type);
        assert_eq!(&image.bytes().await?.to_vec(), bytes);
    }
    assert_eq!(parts[0]["classifier"], json!("FRONT"));
    assert_eq!(parts[1]["classifier"], json!("BACK"));
    server.stop().await
}

#[tokio::test]
async fn workflows_3_and_32_acquire_id_and_selfie_through_the_api() -> Result<()> {
    let server = TestServer::start().await?;
    for (key, user_reference) in [(3, None), (32, Some("user-32"))] {
        let mut body = json!({"customerInternalReference": "r", "workflowDefinition": {"key": key}, "userConsent": consent()});
        if let Some(reference) = user_reference {
            body["userReference"] = json!(reference);
        }
        let account = server.create_account(body).await?;
        assert_eq!(
            channels(&account),
            vec![
                ("ID".to_owned(), json!(["WEB", "SDK", "API"])),
                ("FACEMAP".to_owned(), json!(["WEB", "SDK"])),
                ("SELFIE".to_owned(), json!(["WEB", "SDK", "API"])),
            ]
        );
        assert!(credential(&account, "FACEMAP")?.get("api").is_none());
        let id = credential(&account, "ID")?;
        let selfie = credential(&account, "SELFIE")?;
        let token = text(id, "/api/token")?;
        server
            .upload_part(token, id, "front", jpeg(1000, 640, 1))
            .await?;
        server
            .upload_part(token, selfie, "face", jpeg(720, 960, 2))
            .await?;
        let facemap = part_href(
            &account,
            text(credential(&account, "FACEMAP")?, "/id")?,
            "LIVENESS_1",
        )?;
        let refused = server
            .upload(token, Method::POST, &facemap, jpeg(720, 960, 3), "l.jpg")
            .await?;
        assert_eq!(
            error_json(refused).await?.1["code"],
            json!("CHANNEL_NOT_ALLOWED"),
            "the API token may not capture liveness"
        );
        finalize(&server, &account, token).await?;
        let details = details(&server, &account).await?;
        assert_eq!(details["workflow"]["definitionKey"], json!(key.to_string()));
        assert_eq!(details["credentials"].as_array().map(Vec::len), Some(3));
    }
    server.stop().await
}

#[tokio::test]
async fn workflow_5_compares_a_selfie_with_the_id_on_file() -> Result<()> {
    let server = TestServer::start().await?;
    let (first, id_credential) = verified_id(&server).await?;
    let account_id = text(&first, "/account/id")?;

    let created = server
        .tenant(Method::POST, "/api/v1/accounts")
        .json(&json!({"customerInternalReference": "r", "workflowDefinition": {"key": 5, "credentials": [{"id": id_credential, "category": "ID"}]}}))
        .send()
        .await?;
    assert_eq!(
        error_json(created).await?.1["code"],
        json!("PREREQUISITE_NOT_MET")
    );
    let unknown = server
        .tenant(Method::PUT, &format!("/api/v1/accounts/{account_id}"))
        .json(&json!({"customerInternalReference": "r", "workflowDefinition": {"key": 5, "credentials": [{"id": uuid::Uuid::from_u128(0x5eed).to_string(), "category": "ID"}]}}))
        .send()
        .await?;
    assert_eq!(
        error_json(unknown).await?.1["code"],
        json!("PREREQUISITE_NOT_MET")
    );
    let without_id = server
        .tenant(Method::PUT, &format!("/api/v1/accounts/{account_id}"))
        .json(&json!({"customerInternalReference": "r", "workflowDefinition": {"key": 5}}))
        .send()
        .await?;
    assert_eq!(error_json(without_id).await?.0, StatusCode::BAD_REQUEST);

    let account = server
        .update_account(
            account_id,
            json!({
                "customerInternalReference": "r",
                "workflowDefinition": {"key": 5, "credentials": [{"id": id_credential, "category": "ID"}, {"category": "SELFIE"}]},
                "userConsent": consent()
            }),
        )
        .await?;
    let id = credential(&account, "ID")?;
    assert_eq!(text(id, "/id")?, id_credential);
    assert_eq!(id["allowedChannels"], json!([]));
    assert!(id.get("api").is_none());
    assert!(
        account.get("web").is_none() && account.get("sdk").is_none(),
        "API-only: {account}"
    );
    let selfie = credential(&account, "SELFIE")?;
    let token = text(selfie, "/api/token")?;
    let id_front = part_href(&account, &id_credential, "FRONT")?;
    let refused = server
        .upload(token, Method::PUT, &id_front, jpeg(1000, 640, 5), "f.jpg")
        .await?;
    assert_eq!(
        error_json(refused).await?.0,
        StatusCode::FORBIDDEN,
        "the ID on file is read-only"
    );
    server
        .upload_part(token, selfie, "face", jpeg(720, 960, 6))
        .await?;
    finalize(&server, &account, token).await?;
    let details = details(&server, &account).await?;
    assert_eq!(details["credentials"][0]["id"], json!(id_credential));
    assert_eq!(
        details["credentials"][0]["parts"][0]["classifier"],
        json!("FRONT")
    );
    server.stop().await
}

#[tokio::test]
async fn workflow_6_standalone_liveness_takes_a_selfie() -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "r", "workflowDefinition": {"key": 6}, "userConsent": consent()}))
        .await?;
    assert_eq!(
        channels(&account),
        vec![
            ("FACEMAP".to_owned(), json!(["WEB", "SDK"])),
            ("SELFIE".to_owned(), json!(["WEB", "SDK", "API"]))
        ]
    );
    let selfie = credential(&account, "SELFIE")?;
    let token = text(selfie, "/api/token")?;
    server
        .upload_part(token, selfie, "face", png(640, 800, 1))
        .await?;
    finalize(&server, &account, token).await?;
    server.stop().await
}

#[tokio::test]
async fn workflow_9_needs_a_facemap_on_file() -> Result<()> {
    let server = TestServer::start().await?;
    let (first, _) = verified_id(&server).await?;
    let account_id = text(&first, "/account/id")?;
    for (method, path) in [
        (Method::POST, "/api/v1/accounts".to_owned()),
        (Method::PUT, format!("/api/v1/accounts/{account_id}")),
    ] {
        let response = server
            .tenant(method, &path)
            .json(&json!({"customerInternalReference": "r", "workflowDefinition": {"key": 9}, "userConsent": consent()}))
            .send()
            .await?;
        let (status, error) = error_json(response).await?;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("PREREQUISITE_NOT_MET")),
            "{path}"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn workflow_16_takes_the_customers_facemap_by_api_and_the_selfie_by_sdk() -> Result<()> {
    let server = TestServer::start().await?;
    let (first, _) = verified_id(&server).await?;
    let account = server
        .update_account(
            text(&first, "/account/id")?,
            json!({"customerInternalReference": "r", "workflowDefinition": {"key": 16}, "userConsent": consent()}),
        )
        .await?;
    assert_eq!(
        channels(&account),
        vec![
            ("FACEMAP".to_owned(), json!(["API"])),
            ("FACEMAP".to_owned(), json!(["WEB", "SDK"])),
            ("SELFIE".to_owned(), json!(["WEB", "SDK"])),
        ]
    );
    let upload = credential(&account, "FACEMAP")?;
    let api_token = text(upload, "/api/token")?;
    // Only a facemap this server sealed for this tenant is accepted (tests/api/faces.rs
    // authenticates against a real one).
    let forged = server
        .upload(
            api_token,
            Method::POST,
            text(upload, "/api/parts/facemap")?,
            vec![7u8; 4096],
            "facemap.bin",
        )
        .await?;
    let (status, error) = error_json(forged).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("INVALID_FACEMAP"))
    );

    let selfie_href = part_href(
        &account,
        text(credential(&account, "SELFIE")?, "/id")?,
        "FACE",
    )?;
    let by_api = server
        .upload(
            api_token,
            Method::POST,
            &selfie_href,
            jpeg(720, 960, 2),
            "s.jpg",
        )
        .await?;
    assert_eq!(
        error_json(by_api).await?.1["code"],
        json!("CHANNEL_NOT_ALLOWED")
    );
    let sdk_token = text(&account, "/sdk/token")?;
    ok_json(
        server
            .upload(
                sdk_token,
                Method::POST,
                &selfie_href,
                jpeg(720, 960, 2),
                "s.jpg",
            )
            .await?,
    )
    .await?;
    finalize(&server, &account, sdk_token).await?;
    server.stop().await
}

#[tokio::test]
async fn workflow_20_compares_any_two_images() -> Result<()> {
    let server = TestServer::start().await?;
    let pairs = [
        (json!(null), ["ID", "SELFIE"]),
        (
            json!([{"category": "ID"}, {"category": "ID"}]),
            ["ID", "ID"],
        ),
        (
            json!([{"category": "SELFIE"}, {"category": "SELFIE"}]),
            ["SELFIE", "SELFIE"],
        ),
    ];
    for (credentials, categories) in pairs {
        let mut definition = json!({"key": 20});
        if !credentials.is_null() {
            definition["credentials"] = credentials;
        }
        let account = server
            .create_account(json!({"customerInternalReference": "r", "workflowDefinition": definition, "userConsent": consent()}))
            .await?;
        let found = channels(&account);
        assert_eq!(
            found.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            categories
        );
        assert!(found
            .iter()
            .all(|(_, channels)| channels == &json!(["API"])));
        assert!(account.get("web").is_none() && account.get("sdk").is_none());
        let all = account["workflowExecution"]["credentials"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (seed, credential) in (1u32..).zip(&all) {
            let token = text(credential, "/api/token")?;
            let href = credential["api"]["parts"]
                .get("front")
                .or_else(|| credential["api"]["parts"].get("face"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            ok_json(
                server
                    .upload(token, Method::POST, href, jpeg(800, 800, seed), "i.jpg")
                    .await?,
            )
            .await?;
        }
        finalize(&server, &account, text(&all[0], "/api/token")?).await?;
    }
    server.stop().await
}
