//! Deleting accounts and workflow executions removes the records and the files.

use anyhow::Result;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

async fn uploaded_execution(server: &TestServer, account: Option<&str>) -> Result<Value> {
    let body = json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}});
    let created = match account {
        None => server.create_account(body).await?,
        Some(id) => server.update_account(id, body).await?,
    };
    let id = credential(&created, "ID")?;
    let token = text(id, "/api/token")?;
    server
        .upload_part(token, id, "front", jpeg(900, 600, 1))
        .await?;
    server
        .upload_part(token, id, "back", jpeg(900, 600, 2))
        .await?;
    Ok(created)
}

fn reads(account: &Value) -> Result<Vec<String>> {
    let (a, e) = (
        text(account, "/account/id")?,
        text(account, "/workflowExecution/id")?,
    );
    let c = text(credential(account, "ID")?, "/id")?;
    Ok(vec![
        format!("/api/v1/accounts/{a}/workflow-executions/{e}/status"),
        format!("/api/v1/accounts/{a}/workflow-executions/{e}"),
        format!("/api/v1/accounts/{a}/credentials/{c}/parts/FRONT"),
        format!("/api/v1/accounts/{a}/credentials/{c}/parts/BACK"),
    ])
}

#[tokio::test]
async fn deleting_an_account_removes_everything_under_it_from_disk() -> Result<()> {
    let server = TestServer::start().await?;
    let first = uploaded_execution(&server, None).await?;
    let account_id = text(&first, "/account/id")?.to_owned();
    let second = uploaded_execution(&server, Some(&account_id)).await?;
    let keep = uploaded_execution(&server, None).await?;
    assert_eq!(server.blobs_containing(&account_id).len(), 4);

    let deleted = ok_json(
        server
            .tenant(Method::DELETE, &format!("/api/v1/accounts/{account_id}"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(deleted["account"]["id"], json!(account_id));
    assert!(
        server.blobs_containing(&account_id).is_empty(),
        "files left: {:?}",
        server.blobs_containing(&account_id)
    );
    for path in reads(&first)?.into_iter().chain(reads(&second)?) {
        let response = server.tenant(Method::GET, &path).send().await?;
        assert_eq!(
            error_json(response).await?.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let again = server
        .tenant(Method::DELETE, &format!("/api/v1/accounts/{account_id}"))
        .send()
        .await?;
    assert_eq!(
        error_json(again).await?.1["code"],
        json!("ACCOUNT_NOT_FOUND")
    );
    let update = server
        .tenant(Method::PUT, &format!("/api/v1/accounts/{account_id}"))
        .json(&json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}}))
        .send()
        .await?;
    assert_eq!(update.status(), StatusCode::NOT_FOUND);
    // Another account is untouched.
    for path in reads(&keep)? {
        assert_eq!(
            server.tenant(Method::GET, &path).send().await?.status(),
            StatusCode::OK,
            "{path}"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn deleting_an_execution_leaves_the_account_and_its_other_executions() -> Result<()> {
    let server = TestServer::start().await?;
    let first = uploaded_execution(&server, None).await?;
    let account_id = text(&first, "/account/id")?.to_owned();
    let second = uploaded_execution(&server, Some(&account_id)).await?;
    let execution = format!(
        "/api/v1/accounts/{account_id}/workflow-executions/{}",
        text(&first, "/workflowExecution/id")?
    );
    ok_json(server.tenant(Method::DELETE, &execution).send().await?).await?;
    assert!(server
        .blobs_containing(text(credential(&first, "ID")?, "/id")?)
        .is_empty());
    for path in reads(&first)? {
        assert_eq!(
            server.tenant(Method::GET, &path).send().await?.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in reads(&second)? {
        assert_eq!(
            server.tenant(Method::GET, &path).send().await?.status(),
            StatusCode::OK,
            "{path}"
        );
    }
    // Its workflow token is useless now.
    let id = credential(&first, "ID")?;
    let late = server
        .upload(
            text(id, "/api/token")?,
            Method::PUT,
            text(id, "/api/parts/front")?,
            jpeg(900, 600, 3),
            "f.jpg",
        )
        .await?;
    assert_eq!(late.status(), StatusCode::NOT_FOUND);
    assert!(
        server.blobs_containing(text(id, "/id")?).is_empty(),
        "a refused upload must not leave a file"
    );
    server.stop().await
}
