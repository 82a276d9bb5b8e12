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

/// The files under the data directory (database, its write-ahead log, blobs) whose bytes
/// contain `needle`.
fn files_holding(server: &TestServer, needle: &[u8]) -> Result<Vec<std::path::PathBuf>> {
    let mut holding = Vec::new();
    for path in files_below(&server.settings.data_dir) {
        let bytes = std::fs::read(&path)?;
        if bytes.windows(needle.len()).any(|window| window == needle) {
            holding.push(path);
        }
    }
    Ok(holding)
}

/// After an account is deleted, nothing of its holder is left readable anywhere in the data
/// directory: not the document number or surname its extraction stored (neither in the
/// database file, its free pages, nor its write-ahead log), not the bytes of the image.
#[tokio::test]
async fn a_deleted_accounts_personal_data_is_nowhere_in_the_data_directory() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let passport = passport_bearing("obama2.jpg")?;
    let front = encode_jpeg(passport.image.clone());
    let body = json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}});
    let (account, token, execution) = server.id_with_front(body, front.clone()).await?;
    server.finalize(&token, &execution).await?;
    wait_for_status(&server, &format!("{execution}/status"), "PROCESSED").await?;
    let image_slice = front
        .get(front.len() / 2..front.len() / 2 + 64)
        .ok_or_else(|| anyhow::anyhow!("a short image"))?
        .to_vec();
    let needles = [
        passport.document_number.as_bytes().to_vec(),
        passport.surname.as_bytes().to_vec(),
        image_slice,
    ];
    // Stored before: the test can tell.
    for needle in &needles {
        assert!(
            !files_holding(&server, needle)?.is_empty(),
            "{} is not stored at all",
            String::from_utf8_lossy(needle)
        );
    }

    let account_id = text(&account, "/account/id")?;
    ok_json(
        server
            .tenant(Method::DELETE, &format!("/api/v1/accounts/{account_id}"))
            .send()
            .await?,
    )
    .await?;
    for needle in &needles {
        let left = files_holding(&server, needle)?;
        assert!(
            left.is_empty(),
            "{} is still in {left:?}",
            String::from_utf8_lossy(needle)
        );
    }
    server.stop().await
}
