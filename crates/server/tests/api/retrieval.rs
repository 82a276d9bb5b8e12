//! Status and details before and after acquisition.

use anyhow::Result;
use reqwest::{Method, StatusCode};
use serde_json::json;
use verifyd_testkit::*;

#[tokio::test]
async fn status_reports_the_execution_with_hrefs() -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}}))
        .await?;
    let (account_id, execution_id) = (
        text(&account, "/account/id")?,
        text(&account, "/workflowExecution/id")?,
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
    assert_eq!(
        status,
        json!({
            "account": {"id": account_id, "href": format!("{}/api/v1/accounts/{account_id}", server.base)},
            "workflowExecution": {
                "id": execution_id,
                "href": format!("{}/api/v1/accounts/{account_id}/workflow-executions/{execution_id}", server.base),
                "definitionKey": "2",
                "status": "INITIATED"
            }
        })
    );
    let details = ok_json(
        server
            .tenant(
                Method::GET,
                &format!("/api/v1/accounts/{account_id}/workflow-executions/{execution_id}"),
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(details["workflow"]["status"], json!("INITIATED"));
    assert!(details.get("startedAt").is_none());
    assert_eq!(details["credentials"][0]["parts"], json!([]));

    for path in [
        format!(
            "/api/v1/accounts/{account_id}/workflow-executions/{}/status",
            uuid::Uuid::from_u128(0x5eed)
        ),
        format!(
            "/api/v1/accounts/{}/workflow-executions/{execution_id}/status",
            uuid::Uuid::from_u128(0x5eed)
        ),
        format!(
            "/api/v1/accounts/{account_id}/credentials/{}/parts/FRONT",
            uuid::Uuid::from_u128(0x5eed)
        ),
        format!(
            "/api/v1/accounts/{account_id}/credentials/{}/parts/FRONT",
            text(credential(&account, "ID")?, "/id")?
        ),
    ] {
        let response = server.tenant(Method::GET, &path).send().await?;
        assert_eq!(
            error_json(response).await?.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    server.stop().await
}
