//! Account creation and update: the response shape and the request validation.

use anyhow::Result;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

#[tokio::test]
async fn creation_returns_the_specified_shape_with_hrefs_from_the_base_url() -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({
            "customerInternalReference": "order-4711",
            "userReference": "user-17",
            "workflowDefinition": {
                "key": 2,
                "credentials": [{
                    "category": "ID",
                    "type": {"values": ["PASSPORT", "ID_CARD"]},
                    "country": {"predefinedType": "RECOMMENDED", "values": ["NLD", "DEU"]}
                }]
            },
            "callbackUrl": "https://example.com/callback",
            "tokenLifetime": "1h",
            "web": {"successUrl": "https://example.com/ok", "errorUrl": "https://example.com/ko", "locale": "de"}
        }))
        .await?;
    let timestamp = text(&account, "/timestamp")?;
    assert_eq!(timestamp, "2026-11-22T09:00:00.000Z");
    let account_id = text(&account, "/account/id")?;
    let execution_id = text(&account, "/workflowExecution/id")?;
    uuid::Uuid::parse_str(account_id)?;
    uuid::Uuid::parse_str(execution_id)?;

    let id = credential(&account, "ID")?;
    assert_eq!(id["allowedChannels"], json!(["WEB", "API", "SDK"]));
    assert_eq!(
        id["country"],
        json!({"predefinedType": "RECOMMENDED", "values": ["NLD", "DEU"]})
    );
    assert_eq!(
        id["type"],
        json!({"predefinedType": "DEFINED", "values": ["PASSPORT", "ID_CARD"]})
    );
    let credential_id = text(id, "/id")?;
    let execution_href = format!(
        "{}/api/v1/accounts/{account_id}/workflow-executions/{execution_id}",
        server.base
    );
    assert_eq!(text(id, "/api/workflowExecution")?, execution_href);
    assert_eq!(
        text(id, "/api/parts/front")?,
        format!("{execution_href}/credentials/{credential_id}/parts/FRONT")
    );
    assert_eq!(
        text(id, "/api/parts/back")?,
        format!("{execution_href}/credentials/{credential_id}/parts/BACK")
    );
    assert!(!text(id, "/api/token")?.is_empty());
    assert!(!text(&account, "/sdk/token")?.is_empty());
    let web = text(&account, "/web/href")?;
    assert!(
        web.starts_with(&format!("{}/web/v4/app?authorizationToken=", server.base)),
        "{web}"
    );
    assert!(web.ends_with("&locale=de"), "{web}");
    server.stop().await
}

#[tokio::test]
async fn update_starts_a_new_execution_on_the_same_account() -> Result<()> {
    let server = TestServer::start().await?;
    let first = server
        .create_account(json!({"customerInternalReference": "a", "workflowDefinition": {"key": 2}}))
        .await?;
    let account = text(&first, "/account/id")?;
    let second = server
        .update_account(
            account,
            json!({"customerInternalReference": "b", "workflowDefinition": {"key": "2"}}),
        )
        .await?;
    assert_eq!(text(&second, "/account/id")?, account);
    assert_ne!(
        text(&second, "/workflowExecution/id")?,
        text(&first, "/workflowExecution/id")?
    );

    let missing = server
        .tenant(
            Method::PUT,
            &format!("/api/v1/accounts/{}", uuid::Uuid::from_u128(0x5eed)),
        )
        .json(&json!({"customerInternalReference": "c", "workflowDefinition": {"key": 2}}))
        .send()
        .await?;
    let (status, body) = error_json(missing).await?;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("ACCOUNT_NOT_FOUND"))
    );

    let malformed = server
        .tenant(Method::PUT, "/api/v1/accounts/not-a-uuid")
        .json(&json!({"customerInternalReference": "c", "workflowDefinition": {"key": 2}}))
        .send()
        .await?;
    let (status, body) = error_json(malformed).await?;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("INVALID_ID"))
    );
    server.stop().await
}

/// Each case: a request body, and the field the 400 must name.
fn invalid_requests() -> Vec<(Value, &'static str)> {
    let base = |extra: Value| {
        let mut body =
            json!({"customerInternalReference": "ref", "workflowDefinition": {"key": 2}});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            for (key, value) in extra {
                body.insert(key.clone(), value.clone());
            }
        }
        body
    };
    vec![
        (
            json!({"workflowDefinition": {"key": 2}}),
            "customerInternalReference",
        ),
        (
            json!({"customerInternalReference": "ref"}),
            "workflowDefinition",
        ),
        (
            base(json!({"customerInternalReference": "x".repeat(101)})),
            "customerInternalReference",
        ),
        (
            base(json!({"customerInternalReference": "john.doe@example.com/1"})),
            "customerInternalReference",
        ),
        (
            base(json!({"customerInternalReference": "a{b}"})),
            "customerInternalReference",
        ),
        (
            base(json!({"workflowDefinition": {"key": 4}})),
            "workflowDefinition.key",
        ),
        (
            base(json!({"workflowDefinition": {"key": "two"}})),
            "workflowDefinition.key",
        ),
        (
            base(json!({"workflowDefinition": {}})),
            "workflowDefinition.key",
        ),
        (
            base(json!({"userReference": "u".repeat(101)})),
            "userReference",
        ),
        (
            base(json!({"reportingCriteria": "r".repeat(256)})),
            "reportingCriteria",
        ),
        (
            base(json!({"callbackUrl": "ftp://example.com/cb"})),
            "callbackUrl",
        ),
        (
            base(json!({"callbackUrl": "https://example.com/cb#fragment"})),
            "callbackUrl",
        ),
        (
            base(json!({"callbackUrl": format!("https://example.com/{}", "a".repeat(250))})),
            "callbackUrl",
        ),
        (base(json!({"tokenLifetime": "4m"})), "tokenLifetime"),
        (base(json!({"tokenLifetime": "61d"})), "tokenLifetime"),
        (
            base(json!({"tokenLifetime": "30 minutes"})),
            "tokenLifetime",
        ),
        (base(json!({"web": {"locale": "xx"}})), "web.locale"),
        (
            base(json!({"web": {"successUrl": "not a url"}})),
            "web.successUrl",
        ),
        (
            base(json!({"web": {"errorUrl": "https://example.com/#x"}})),
            "web.errorUrl",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 2, "credentials": [{"category": "PASSPORT"}]}}),
            ),
            "workflowDefinition.credentials[0].category",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 2, "credentials": [{"category": "SELFIE"}]}}),
            ),
            "workflowDefinition.credentials[0].category",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "country": {"values": ["XYZ"]}}]}}),
            ),
            "workflowDefinition.credentials[0].country.values",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "country": {"values": []}}]}}),
            ),
            "workflowDefinition.credentials[0].country.values",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "type": {"values": ["IPROOV_STANDARD"]}}]}}),
            ),
            "workflowDefinition.credentials[0].type.values",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "type": {"predefinedType": "MAYBE", "values": ["PASSPORT"]}}]}}),
            ),
            "workflowDefinition.credentials[0].type.predefinedType",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 3, "credentials": [{"category": "FACEMAP", "type": {"values": ["PASSPORT"]}}]}}),
            ),
            "workflowDefinition.credentials[0].type.values",
        ),
        (
            base(json!({"workflowDefinition": {"key": 32}})),
            "userReference",
        ),
        (
            base(json!({"workflowDefinition": {"key": 20, "credentials": [{"category": "ID"}]}})),
            "workflowDefinition.credentials",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 20, "credentials": [{"category": "ID"}, {"category": "FACEMAP"}]}}),
            ),
            "workflowDefinition.credentials[1].category",
        ),
        // Refused on every other category; a DOCUMENT and a workflow 20 SELFIE used to ignore it.
        (
            base(
                json!({"workflowDefinition": {"key": 2, "credentials": [{"category": "DOCUMENT", "id": "AAA"}]}}),
            ),
            "workflowDefinition.credentials[0].id",
        ),
        (
            base(
                json!({"workflowDefinition": {"key": 20, "credentials": [{"category": "ID"}, {"category": "SELFIE", "country": {"values": ["NLD"]}}]}}),
            ),
            "workflowDefinition.credentials[1].country",
        ),
        (
            base(json!({"userConsent": {"userLocation": {"country": "USA"}}})),
            "userConsent.userIp",
        ),
        (
            base(json!({"userConsent": {"userIp": "1.2.3", "userLocation": {"country": "USA"}}})),
            "userConsent.userIp",
        ),
        (
            base(
                json!({"userConsent": {"userIp": "192.0.2.1", "userLocation": {"country": "US"}}}),
            ),
            "userConsent.userLocation.country",
        ),
        (
            base(
                json!({"userConsent": {"userIp": "192.0.2.1", "userLocation": {"country": "USA"}}}),
            ),
            "userConsent.consent",
        ),
        (
            base(
                json!({"userConsent": {"userIp": "192.0.2.1", "userLocation": {"country": "USA"}, "consent": {"obtained": "yes"}}}),
            ),
            "userConsent.consent.obtainedAt",
        ),
        (
            base(
                json!({"userConsent": {"userIp": "192.0.2.1", "userLocation": {"country": "DEU"}, "consent": {"obtained": "maybe"}}}),
            ),
            "userConsent.consent.obtained",
        ),
    ]
}

#[tokio::test]
async fn every_rule_of_the_request_is_enforced_with_a_400_naming_the_field() -> Result<()> {
    let server = TestServer::start().await?;
    for (body, field) in invalid_requests() {
        let response = server
            .tenant(Method::POST, "/api/v1/accounts")
            .json(&body)
            .send()
            .await?;
        let (status, error) = error_json(response).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {error}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with(&format!("{field}:")),
            "{body} should name {field}, got {message}"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn malformed_json_wrong_types_and_wrong_content_types_are_client_errors() -> Result<()> {
    let server = TestServer::start().await?;
    let cases: Vec<(&str, &str, StatusCode, &str)> = vec![
        (
            "{\"customerInternalReference\": ",
            "application/json",
            StatusCode::BAD_REQUEST,
            "MALFORMED_JSON",
        ),
        (
            "{\"customerInternalReference\": 5, \"workflowDefinition\": {\"key\": 2}}",
            "application/json",
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
        ),
        (
            "{\"workflowDefinition\": {\"key\": 2, \"credentials\": {}}}",
            "application/json",
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
        ),
        (
            "customerInternalReference=x",
            "application/x-www-form-urlencoded",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
    ];
    for (body, content_type, expected_status, expected_code) in cases {
        let response = server
            .tenant(Method::POST, "/api/v1/accounts")
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await?;
        let (status, error) = error_json(response).await?;
        assert_eq!(
            (status, error["code"].as_str()),
            (expected_status, Some(expected_code)),
            "{body}"
        );
    }
    let huge =
        json!({"customerInternalReference": "x".repeat(200_000), "workflowDefinition": {"key": 2}});
    let response = server
        .tenant(Method::POST, "/api/v1/accounts")
        .json(&huge)
        .send()
        .await?;
    let (status, _) = error_json(response).await?;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    server.stop().await
}

#[tokio::test]
async fn production_url_rules_refuse_local_targets() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.allow_local_urls = false).await?;
    for url in [
        "http://example.com/cb",
        "https://127.0.0.1/cb",
        "https://localhost/cb",
        "https://example.com:8443/cb",
    ] {
        let response = server
            .tenant(Method::POST, "/api/v1/accounts")
            .json(&json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}, "callbackUrl": url}))
            .send()
            .await?;
        let (status, error) = error_json(response).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        assert!(
            error["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("callbackUrl:"),
            "{error}"
        );
    }
    server.stop().await
}
