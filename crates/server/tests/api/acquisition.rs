//! Parts upload, replacement and deletion, finalization, and the token and session lifetimes.

use anyhow::Result;
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

/// A workflow 2 execution: (account response, api token, FRONT href).
async fn id_execution(server: &TestServer) -> Result<(Value, String, String)> {
    let account = server
        .create_account(
            json!({"customerInternalReference": "ref", "workflowDefinition": {"key": 2}}),
        )
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?.to_owned();
    let front = text(id, "/api/parts/front")?.to_owned();
    Ok((account, token, front))
}

fn image_href(server: &TestServer, account: &Value, classifier: &str) -> Result<String> {
    Ok(format!(
        "{}/api/v1/accounts/{}/credentials/{}/parts/{classifier}",
        server.base,
        text(account, "/account/id")?,
        text(credential(account, "ID")?, "/id")?
    ))
}

fn execution_href(account: &Value) -> Result<String> {
    Ok(text(credential(account, "ID")?, "/api/workflowExecution")?.to_owned())
}

#[tokio::test]
async fn upload_replace_and_retrieve_keep_the_exact_bytes() -> Result<()> {
    let server = TestServer::start().await?;
    let (account, token, front) = id_execution(&server).await?;
    let first = jpeg(1200, 800, 1);
    let response = ok_json(
        server
            .upload(&token, Method::POST, &front, first.clone(), "front.jpg")
            .await?,
    )
    .await?;
    assert_eq!(
        text(&response, "/account/id")?,
        text(&account, "/account/id")?
    );
    assert_eq!(
        text(&response, "/workflowExecution/id")?,
        text(&account, "/workflowExecution/id")?
    );
    assert_eq!(text(&response, "/api/token")?, token);
    assert_eq!(text(&response, "/api/parts/front")?, front);
    assert_eq!(
        text(&response, "/api/workflowExecution")?,
        execution_href(&account)?
    );

    let image = server
        .tenant(Method::GET, &image_href(&server, &account, "FRONT")?)
        .send()
        .await?;
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert_eq!(image.bytes().await?.to_vec(), first);

    let again = server
        .upload(
            &token,
            Method::POST,
            &front,
            jpeg(1200, 800, 2),
            "front.jpg",
        )
        .await?;
    let (status, error) = error_json(again).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::CONFLICT, Some("PART_EXISTS"))
    );

    let replacement = png(900, 700, 3);
    ok_json(
        server
            .upload(
                &token,
                Method::PUT,
                &front,
                replacement.clone(),
                "front.png",
            )
            .await?,
    )
    .await?;
    let image = server
        .tenant(Method::GET, &image_href(&server, &account, "FRONT")?)
        .send()
        .await?;
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.bytes().await?.to_vec(), replacement);
    // The replaced bytes are gone from disk: one blob for the one part.
    let credential_id = text(credential(&account, "ID")?, "/id")?;
    assert_eq!(server.blobs_containing(credential_id).len(), 1);
    server.stop().await
}

#[tokio::test]
async fn bad_uploads_get_clear_errors_and_leave_stored_data_untouched() -> Result<()> {
    let server =
        TestServer::start_with(|settings| settings.limits.max_upload_bytes = 2 * 1024 * 1024)
            .await?;
    let (account, token, front) = id_execution(&server).await?;
    let good = jpeg(1000, 700, 9);
    ok_json(
        server
            .upload(&token, Method::POST, &front, good.clone(), "front.jpg")
            .await?,
    )
    .await?;

    let whole = jpeg(1000, 700, 10);
    let mut bomb = png(400, 400, 11);
    bomb[16..20].copy_from_slice(&9000u32.to_be_bytes());
    let crc = crc32fast::hash(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let huge = vec![0xFFu8; 3 * 1024 * 1024];
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "text renamed to .jpg",
            b"this is not an image at all".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_FILE_TYPE",
        ),
        (
            "GIF",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_FILE_TYPE",
        ),
        (
            "truncated JPEG",
            whole[..whole.len() / 2].to_vec(),
            StatusCode::BAD_REQUEST,
            "CORRUPT_FILE",
        ),
        (
            "longest side 300",
            png(300, 200, 12),
            StatusCode::BAD_REQUEST,
            "IMAGE_TOO_SMALL",
        ),
        (
            "1x1",
            png(1, 1, 13),
            StatusCode::BAD_REQUEST,
            "IMAGE_TOO_SMALL",
        ),
        (
            "header claims 9000 px",
            bomb,
            StatusCode::BAD_REQUEST,
            "IMAGE_TOO_LARGE",
        ),
        ("empty", Vec::new(), StatusCode::BAD_REQUEST, "EMPTY_FILE"),
        (
            "over the size limit",
            huge,
            StatusCode::PAYLOAD_TOO_LARGE,
            "FILE_TOO_LARGE",
        ),
    ];
    for (name, bytes, expected_status, expected_code) in cases {
        let response = server
            .upload(&token, Method::PUT, &front, bytes, "front.jpg")
            .await?;
        let (status, error) = error_json(response).await?;
        assert_eq!(
            (status, error["code"].as_str()),
            (expected_status, Some(expected_code)),
            "{name}: {error}"
        );
    }
    let image = server
        .tenant(Method::GET, &image_href(&server, &account, "FRONT")?)
        .send()
        .await?;
    assert_eq!(
        image.bytes().await?.to_vec(),
        good,
        "a refused upload must not touch the stored part"
    );

    let no_file = server
        .bearer(&token, Method::PUT, &front)
        .multipart(reqwest::multipart::Form::new().text("other", "x"))
        .send()
        .await?;
    assert_eq!(error_json(no_file).await?.1["code"], json!("MISSING_FILE"));
    let raw = server
        .bearer(&token, Method::PUT, &front)
        .body(good.clone())
        .header("Content-Type", "image/jpeg")
        .send()
        .await?;
    assert_eq!(error_json(raw).await?.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    server.stop().await
}

#[tokio::test]
async fn classifiers_must_exist_and_fit_the_credential() -> Result<()> {
    let server = TestServer::start().await?;
    let (_, token, front) = id_execution(&server).await?;
    let unknown = server
        .upload(
            &token,
            Method::POST,
            &front.replace("FRONT", "SIDE"),
            jpeg(800, 600, 1),
            "a.jpg",
        )
        .await?;
    assert_eq!(
        error_json(unknown).await?.1["code"],
        json!("UNKNOWN_CLASSIFIER")
    );
    let face_on_id = server
        .upload(
            &token,
            Method::POST,
            &front.replace("FRONT", "FACE"),
            jpeg(800, 600, 1),
            "a.jpg",
        )
        .await?;
    let (status, error) = error_json(face_on_id).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("FACE is not a part of a ID credential"),
        "{error}"
    );
    let missing = front.rsplit_once("/credentials/").map(|(head, _)| {
        format!(
            "{head}/credentials/{}/parts/FRONT",
            uuid::Uuid::from_u128(0x5eed)
        )
    });
    let missing = server
        .upload(
            &token,
            Method::POST,
            &missing.unwrap_or_default(),
            jpeg(800, 600, 1),
            "a.jpg",
        )
        .await?;
    assert_eq!(
        error_json(missing).await?.1["code"],
        json!("CREDENTIAL_NOT_FOUND")
    );
    server.stop().await
}

#[tokio::test]
async fn a_token_only_acquires_for_its_own_execution() -> Result<()> {
    let server = TestServer::start().await?;
    let (_, token_a, _) = id_execution(&server).await?;
    let (_, _, front_b) = id_execution(&server).await?;
    let response = server
        .upload(
            &token_a,
            Method::POST,
            &front_b,
            jpeg(800, 600, 1),
            "front.jpg",
        )
        .await?;
    let (status, error) = error_json(response).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("TOKEN_NOT_FOR_THIS_EXECUTION"))
    );
    let mut tampered = token_a.clone();
    tampered.pop();
    tampered.push(if token_a.ends_with('A') { 'B' } else { 'A' });
    let response = server
        .upload(
            &tampered,
            Method::POST,
            &front_b,
            jpeg(800, 600, 1),
            "front.jpg",
        )
        .await?;
    assert_eq!(error_json(response).await?.0, StatusCode::UNAUTHORIZED);
    server.stop().await
}

#[tokio::test]
async fn prepared_data_and_pdf_documents_are_accepted_and_checked() -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({
            "customerInternalReference": "ref",
            "workflowDefinition": {"key": 2, "credentials": [{"category": "ID"}, {"category": "DOCUMENT"}]}
        }))
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    let prepared = text(id, "/api/parts/front")?.replace("FRONT", "PREPARED_DATA");
    let data = json!({"firstName": "JANE", "lastName": "DOE", "dateOfBirth": "1990-01-01", "sex": "F", "nationality": "NLD"});
    let response = ok_json(
        server
            .bearer(token, Method::POST, &prepared)
            .json(&data)
            .send()
            .await?,
    )
    .await?;
    assert_eq!(response["api"]["parts"], json!({}));
    for bad in [
        json!({"dateOfBirth": "01.01.1990"}),
        json!({"sex": "X"}),
        json!({"favouriteColour": "red"}),
        json!({"nationality": "Netherlands"}),
    ] {
        let response = server
            .bearer(token, Method::PUT, &prepared)
            .json(&bad)
            .send()
            .await?;
        assert_eq!(
            error_json(response).await?.0,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }

    let document = credential(&account, "DOCUMENT")?;
    let href = text(document, "/api/parts/document")?;
    let bytes = pdf();
    ok_json(
        server
            .upload(token, Method::POST, href, bytes.clone(), "proof.pdf")
            .await?,
    )
    .await?;
    let stored = server
        .tenant(
            Method::GET,
            &format!(
                "/api/v1/accounts/{}/credentials/{}/parts/DOCUMENT",
                text(&account, "/account/id")?,
                text(document, "/id")?
            ),
        )
        .send()
        .await?;
    assert_eq!(stored.headers()["content-type"], "application/pdf");
    assert_eq!(stored.bytes().await?.to_vec(), bytes);
    let not_pdf = server
        .upload(token, Method::PUT, href, jpeg(800, 600, 1), "proof.pdf")
        .await?;
    assert_eq!(
        error_json(not_pdf).await?.0,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    server.stop().await
}

#[tokio::test]
async fn parts_can_be_deleted_one_by_one_or_all_at_once() -> Result<()> {
    let server = TestServer::start().await?;
    let (account, token, front) = id_execution(&server).await?;
    let back = front.replace("FRONT", "BACK");
    ok_json(
        server
            .upload(&token, Method::POST, &front, jpeg(800, 600, 1), "f.jpg")
            .await?,
    )
    .await?;
    ok_json(
        server
            .upload(&token, Method::POST, &back, jpeg(800, 600, 2), "b.jpg")
            .await?,
    )
    .await?;
    ok_json(server.bearer(&token, Method::DELETE, &front).send().await?).await?;
    assert_eq!(
        server
            .tenant(Method::GET, &image_href(&server, &account, "FRONT")?)
            .send()
            .await?
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .tenant(Method::GET, &image_href(&server, &account, "BACK")?)
            .send()
            .await?
            .status(),
        StatusCode::OK
    );
    let again = server.bearer(&token, Method::DELETE, &front).send().await?;
    assert_eq!(error_json(again).await?.1["code"], json!("PART_NOT_FOUND"));

    let credential_href = front.trim_end_matches("/parts/FRONT").to_owned();
    ok_json(
        server
            .bearer(&token, Method::DELETE, &credential_href)
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        server
            .tenant(Method::GET, &image_href(&server, &account, "BACK")?)
            .send()
            .await?
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(server
        .blobs_containing(text(credential(&account, "ID")?, "/id")?)
        .is_empty());
    server.stop().await
}

#[tokio::test]
async fn finalize_moves_to_acquired_once_and_closes_acquisition() -> Result<()> {
    let server = TestServer::start().await?;
    let (account, token, front) = id_execution(&server).await?;
    let execution = execution_href(&account)?;
    let empty = server
        .bearer(&token, Method::PUT, &execution)
        .send()
        .await?;
    assert_eq!(
        error_json(empty).await?.1["code"],
        json!("NOTHING_UPLOADED")
    );

    ok_json(
        server
            .upload(&token, Method::POST, &front, jpeg(800, 600, 1), "f.jpg")
            .await?,
    )
    .await?;
    let finalized = ok_json(
        server
            .bearer(&token, Method::PUT, &execution)
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        text(&finalized, "/workflowExecution/id")?,
        text(&account, "/workflowExecution/id")?
    );
    let status = ok_json(
        server
            .tenant(Method::GET, &format!("{execution}/status"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(status["workflowExecution"]["status"], json!("ACQUIRED"));

    let twice = server
        .bearer(&token, Method::PUT, &execution)
        .send()
        .await?;
    assert_eq!(
        error_json(twice).await?.1["code"],
        json!("ACQUISITION_CLOSED")
    );
    let late = server
        .upload(&token, Method::PUT, &front, jpeg(800, 600, 2), "f.jpg")
        .await?;
    assert_eq!(
        error_json(late).await?.1["code"],
        json!("ACQUISITION_CLOSED")
    );
    server.stop().await
}

#[tokio::test]
async fn an_unused_token_expires_after_its_lifetime() -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "ref", "workflowDefinition": {"key": 2}, "tokenLifetime": "10m"}))
        .await?;
    let id = credential(&account, "ID")?;
    let (token, front) = (text(id, "/api/token")?, text(id, "/api/parts/front")?);
    server.advance(Duration::minutes(10));
    let late = server
        .upload(token, Method::POST, front, jpeg(800, 600, 1), "f.jpg")
        .await?;
    let (status, error) = error_json(late).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("TOKEN_EXPIRED"))
    );
    server.stop().await
}

#[tokio::test]
async fn every_action_resets_the_fifteen_minute_session() -> Result<()> {
    let server = TestServer::start().await?;
    let (_, token, front) = id_execution(&server).await?;
    ok_json(
        server
            .upload(&token, Method::POST, &front, jpeg(800, 600, 1), "f.jpg")
            .await?,
    )
    .await?;
    // The 30-minute token lifetime no longer matters once acquisition started.
    for seed in 2..6 {
        server.advance(Duration::minutes(14));
        ok_json(
            server
                .upload(&token, Method::PUT, &front, jpeg(800, 600, seed), "f.jpg")
                .await?,
        )
        .await?;
    }
    server.advance(Duration::minutes(15));
    let idle = server
        .upload(&token, Method::PUT, &front, jpeg(800, 600, 9), "f.jpg")
        .await?;
    let (status, error) = error_json(idle).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("SESSION_EXPIRED"))
    );
    server.stop().await
}

#[tokio::test]
async fn two_concurrent_adds_of_one_part_store_exactly_one() -> Result<()> {
    let server = TestServer::start().await?;
    let (account, token, front) = id_execution(&server).await?;
    let (a, b) = (jpeg(900, 600, 21), jpeg(900, 600, 22));
    let (first, second) = tokio::join!(
        server.upload(&token, Method::POST, &front, a.clone(), "a.jpg"),
        server.upload(&token, Method::POST, &front, b.clone(), "b.jpg"),
    );
    let statuses = [first?.status(), second?.status()];
    assert!(
        statuses.contains(&StatusCode::OK) && statuses.contains(&StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let stored = server
        .tenant(Method::GET, &image_href(&server, &account, "FRONT")?)
        .send()
        .await?
        .bytes()
        .await?
        .to_vec();
    let winner = if statuses[0] == StatusCode::OK { a } else { b };
    assert_eq!(
        stored, winner,
        "the stored part is the one whose upload was accepted"
    );
    assert_eq!(
        server
            .blobs_containing(text(credential(&account, "ID")?, "/id")?)
            .len(),
        1,
        "the refused one left no file"
    );
    server.stop().await
}
