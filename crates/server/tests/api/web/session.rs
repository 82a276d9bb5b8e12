//! The web client's own API, over HTTP without a browser: the session it starts from and the
//! document choice it records.

use anyhow::{Context, Result};
use reqwest::{Method, StatusCode};
use serde_json::json;
use verifyd_testkit::*;

fn web_token(account: &serde_json::Value) -> Result<String> {
    authorization_token(text(account, "/web/href")?)
}

#[tokio::test]
async fn the_document_choice_is_recorded_within_the_definition_and_only_with_a_web_token(
) -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "choice", "workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "country": {"predefinedType": "DEFINED", "values": ["DEU", "AUT"]}, "type": {"predefinedType": "RECOMMENDED", "values": ["ID_CARD"]}}]}}))
        .await?;
    let token = web_token(&account)?;
    let session_url = server.url("/api/v1/web/session");
    let read_session = || async {
        ok_json(
            server
                .bearer(&token, Method::GET, &session_url)
                .send()
                .await?,
        )
        .await
    };
    let session = read_session().await?;
    assert_eq!(session["acquisition"], "OPEN");
    let id = &session["credentials"][0];
    let countries: Vec<_> = id["choices"]
        .as_array()
        .context("choices")?
        .iter()
        .map(|c| c["country"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(countries, ["AUT", "DEU"]);
    let deu = id["choices"][1]["idTypes"].as_array().context("types")?;
    assert!(
        deu.contains(&json!({"idType": "ID_CARD", "backSide": true})),
        "{deu:?}"
    );

    let choose = |body: serde_json::Value| {
        server
            .bearer(
                &token,
                Method::POST,
                &server.url("/api/v1/web/session/document"),
            )
            .json(&body)
            .send()
    };
    let credential_id = text(id, "/id")?;
    let (status, error) = error_json(
        choose(json!({"credentialId": credential_id, "country": "FRA", "idType": "PASSPORT"}))
            .await?,
    )
    .await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("DOCUMENT_NOT_ACCEPTED"))
    );
    let (status, _) = error_json(
        choose(json!({"credentialId": credential_id, "country": "DEU", "idType": "SELFIE"}))
            .await?,
    )
    .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let response =
        choose(json!({"credentialId": credential_id, "country": "DEU", "idType": "PASSPORT"}))
            .await?;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // The choice may change until a side is uploaded; the customer's presets stay as sent.
    let response =
        choose(json!({"credentialId": credential_id, "country": "AUT", "idType": "ID_CARD"}))
            .await?;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let session = read_session().await?;
    let id = &session["credentials"][0];
    assert_eq!(
        id["chosen"],
        json!({"credentialId": credential_id, "country": "AUT", "idType": "ID_CARD"})
    );
    assert_eq!(
        id["country"],
        json!({"predefinedType": "DEFINED", "values": ["DEU", "AUT"]})
    );
    assert_eq!(
        id["type"],
        json!({"predefinedType": "RECOMMENDED", "values": ["ID_CARD"]})
    );
    ok_json(
        server
            .upload(
                &token,
                Method::POST,
                text(id, "/parts/front")?,
                jpeg(1200, 800, 1),
                "front.jpg",
            )
            .await?,
    )
    .await?;
    let (status, error) = error_json(
        choose(json!({"credentialId": credential_id, "country": "DEU", "idType": "PASSPORT"}))
            .await?,
    )
    .await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::CONFLICT, Some("DOCUMENT_ALREADY_CAPTURED"))
    );

    // The API channel's token cannot read the web session nor choose for the user.
    let api_token = text(credential(&account, "ID")?, "/api/token")?;
    let response = server
        .bearer(api_token, Method::GET, &session_url)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = server
        .bearer(
            api_token,
            Method::POST,
            &server.url("/api/v1/web/session/document"),
        )
        .json(&json!({"credentialId": credential_id, "country": "DEU", "idType": "PASSPORT"}))
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // An idle session, and a token never used within its lifetime, are told apart, and
    // choosing is refused.
    let untouched = server
        .create_account(
            json!({"customerInternalReference": "late", "workflowDefinition": {"key": 2}}),
        )
        .await?;
    let late_token = web_token(&untouched)?;
    server.advance(chrono::Duration::hours(2));
    let session = read_session().await?;
    assert_eq!(session["acquisition"], "SESSION_EXPIRED");
    let late = ok_json(
        server
            .bearer(&late_token, Method::GET, &session_url)
            .send()
            .await?,
    )
    .await?;
    assert_eq!(late["acquisition"], "TOKEN_EXPIRED");
    let (status, error) = error_json(
        choose(json!({"credentialId": credential_id, "country": "DEU", "idType": "ID_CARD"}))
            .await?,
    )
    .await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("SESSION_EXPIRED"))
    );
    server.stop().await
}
