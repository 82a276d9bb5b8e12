//! Basic, OAuth2 client credentials, workflow tokens, scopes, the User-Agent rule, and tenant
//! isolation.

use anyhow::Result;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_domain::model::Scope;
use verifyd_server::admin;
use verifyd_testkit::*;

fn body() -> Value {
    json!({"customerInternalReference": "ref", "workflowDefinition": {"key": 2}})
}

#[tokio::test]
async fn requests_without_valid_credentials_are_refused() -> Result<()> {
    let server = TestServer::start().await?;
    let anonymous = server
        .http
        .post(server.url("/api/v1/accounts"))
        .json(&body())
        .send()
        .await?;
    assert_eq!(error_json(anonymous).await?.0, StatusCode::UNAUTHORIZED);

    let wrong_secret = server
        .http
        .post(server.url("/api/v1/accounts"))
        .basic_auth(&server.tenant.client_id, Some("not-the-secret"))
        .json(&body())
        .send()
        .await?;
    assert_eq!(error_json(wrong_secret).await?.0, StatusCode::UNAUTHORIZED);

    let garbage = server
        .bearer("not.a.token", Method::POST, "/api/v1/accounts")
        .json(&body())
        .send()
        .await?;
    assert_eq!(error_json(garbage).await?.0, StatusCode::UNAUTHORIZED);

    let no_agent = reqwest::Client::new()
        .post(server.url("/api/v1/accounts"))
        .basic_auth(&server.tenant.client_id, Some(&server.tenant.client_secret))
        .json(&body())
        .send()
        .await?;
    let (status, error) = error_json(no_agent).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("MISSING_USER_AGENT"))
    );
    server.stop().await
}

#[tokio::test]
async fn oauth2_client_credentials_issue_bearer_tokens_that_expire_after_an_hour() -> Result<()> {
    let server = TestServer::start().await?;
    let by_header = server
        .http
        .post(server.url("/oauth2/token"))
        .basic_auth(&server.tenant.client_id, Some(&server.tenant.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await?;
    let token = ok_json(by_header).await?;
    assert_eq!(token["expires_in"], json!(3600));
    assert_eq!(token["token_type"], json!("Bearer"));
    let access = text(&token, "/access_token")?.to_owned();

    let by_form = server
        .http
        .post(server.url("/oauth2/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", server.tenant.client_id.as_str()),
            ("client_secret", server.tenant.client_secret.as_str()),
        ])
        .send()
        .await?;
    ok_json(by_form).await?;

    let wrong_grant = server
        .http
        .post(server.url("/oauth2/token"))
        .basic_auth(&server.tenant.client_id, Some(&server.tenant.client_secret))
        .form(&[("grant_type", "password")])
        .send()
        .await?;
    assert_eq!(
        error_json(wrong_grant).await?.1["code"],
        json!("UNSUPPORTED_GRANT_TYPE")
    );

    let created = server
        .bearer(&access, Method::POST, "/api/v1/accounts")
        .json(&body())
        .send()
        .await?;
    ok_json(created).await?;

    server.advance(chrono::Duration::seconds(3600));
    let expired = server
        .bearer(&access, Method::POST, "/api/v1/accounts")
        .json(&body())
        .send()
        .await?;
    let (status, error) = error_json(expired).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("TOKEN_EXPIRED"))
    );
    server.stop().await
}

#[tokio::test]
async fn transaction_administration_credentials_only_retrieve_and_delete() -> Result<()> {
    let server = TestServer::start().await?;
    let admin_credentials = admin::create_credentials(
        &server.settings,
        "acme",
        vec![Scope::Retrieve, Scope::Delete],
    )
    .await?;
    let refused = server
        .as_client(&admin_credentials, Method::POST, "/api/v1/accounts")
        .json(&body())
        .send()
        .await?;
    let (status, error) = error_json(refused).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("MISSING_SCOPE"))
    );

    let account = server.create_account(body()).await?;
    let status_path = format!(
        "/api/v1/accounts/{}/workflow-executions/{}/status",
        text(&account, "/account/id")?,
        text(&account, "/workflowExecution/id")?
    );
    let read = server
        .as_client(&admin_credentials, Method::GET, &status_path)
        .send()
        .await?;
    assert_eq!(
        ok_json(read).await?["workflowExecution"]["status"],
        json!("INITIATED")
    );
    let deleted = server
        .as_client(
            &admin_credentials,
            Method::DELETE,
            &format!("/api/v1/accounts/{}", text(&account, "/account/id")?),
        )
        .send()
        .await?;
    ok_json(deleted).await?;
    server.stop().await
}

#[tokio::test]
async fn workflow_tokens_cannot_use_tenant_endpoints() -> Result<()> {
    let server = TestServer::start().await?;
    let account = server.create_account(body()).await?;
    let token = text(credential(&account, "ID")?, "/api/token")?;
    let status_path = format!(
        "/api/v1/accounts/{}/workflow-executions/{}/status",
        text(&account, "/account/id")?,
        text(&account, "/workflowExecution/id")?
    );
    for (method, path) in [
        (Method::GET, status_path.as_str()),
        (Method::POST, "/api/v1/accounts"),
    ] {
        let response = server
            .bearer(token, method, path)
            .json(&body())
            .send()
            .await?;
        let (status, error) = error_json(response).await?;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("WORKFLOW_TOKEN_NOT_ALLOWED"))
        );
    }
    server.stop().await
}

#[tokio::test]
async fn tenants_never_see_each_others_data() -> Result<()> {
    let server = TestServer::start().await?;
    let other = server.other_tenant("globex").await?;
    let account = server.create_account(body()).await?;
    let account_id = text(&account, "/account/id")?;
    let execution_id = text(&account, "/workflowExecution/id")?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    let upload = server
        .upload(
            token,
            Method::POST,
            text(id, "/api/parts/front")?,
            jpeg(800, 600, 1),
            "front.jpg",
        )
        .await?;
    ok_json(upload).await?;

    let execution = format!("/api/v1/accounts/{account_id}/workflow-executions/{execution_id}");
    let image = format!(
        "/api/v1/accounts/{account_id}/credentials/{}/parts/FRONT",
        text(id, "/id")?
    );
    let probes = [
        (Method::GET, format!("{execution}/status")),
        (Method::GET, execution.clone()),
        (Method::GET, image.clone()),
        (Method::DELETE, execution.clone()),
        (Method::DELETE, format!("/api/v1/accounts/{account_id}")),
        (Method::PUT, execution.clone()),
        (Method::PUT, format!("/api/v1/accounts/{account_id}")),
    ];
    for (method, path) in probes {
        let response = server
            .as_client(&other, method.clone(), &path)
            .json(&body())
            .send()
            .await?;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    // The owner still sees everything intact.
    let still = server.tenant(Method::GET, &image).send().await?;
    assert_eq!(still.status(), StatusCode::OK);
    server.stop().await
}
