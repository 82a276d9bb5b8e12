//! The Document Verification web client: the `clientRedirectUrl` an initiation answers opens
//! a page where the user chooses the document's pages and submits them, then goes to the
//! successUrl; an expired link ends at the errorUrl with 310, an invalid one with 211. The
//! link's token opens its own transaction only, while it lives, and not once the API has
//! taken the transaction over.

use anyhow::{Context, Result};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

use super::{assert_clean, drive, param, query, scratch, shots_dir, steps};

const ACQUISITIONS: &str = "/api/netverify/v2/acquisitions";
const SESSION: &str = "/api/v1/web/document-session";

/// Initiates with `settings` added to a utility bill's request; the answer.
async fn initiate(server: &TestServer, settings: Value) -> Result<Value> {
    let mut body = json!({"type": "UB", "country": "USA", "merchantScanReference": "bill_web", "customerId": "customer_web"});
    for (name, value) in settings.as_object().context("settings")? {
        body[name] = value.clone();
    }
    ok_json(
        server
            .tenant(Method::POST, ACQUISITIONS)
            .json(&body)
            .send()
            .await?,
    )
    .await
}

/// The token of a `clientRedirectUrl` this server made.
fn token_of(server: &TestServer, answer: &Value) -> Result<String> {
    let link = text(answer, "/clientRedirectUrl")?;
    let token = link
        .strip_prefix(&server.url(&format!("{ACQUISITIONS}?initiationToken=")))
        .with_context(|| format!("not this server's document client: {link}"))?;
    Ok(token.to_owned())
}

async fn session(server: &TestServer, token: &str) -> Result<reqwest::Response> {
    Ok(server.bearer(token, Method::GET, SESSION).send().await?)
}

fn image_form(jpeg: Vec<u8>) -> Result<reqwest::multipart::Form> {
    Ok(reqwest::multipart::Form::new().part(
        "image",
        reqwest::multipart::Part::bytes(jpeg)
            .file_name("page.jpg")
            .mime_str("image/jpeg")?,
    ))
}

/// Page 1 of the transaction behind `href` (the session's `pagesHref`), sent with `token`.
async fn upload_with(
    server: &TestServer,
    token: &str,
    pages_href: &str,
) -> Result<reqwest::Response> {
    let (jpeg, _, _) = bill_jpeg(&["A PAGE"])?;
    Ok(server
        .bearer(token, Method::POST, &format!("{pages_href}/1"))
        .multipart(image_form(jpeg)?)
        .send()
        .await?)
}

async fn document_status(server: &TestServer, reference: &str) -> Result<Value> {
    let path = format!("/api/netverify/v2/documents/{reference}");
    let answer = ok_json(server.tenant(Method::GET, &path).send().await?).await?;
    Ok(answer["status"].clone())
}

#[tokio::test]
async fn the_user_chooses_the_pages_removes_one_and_is_sent_to_the_success_url() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let answer = initiate(
        &server,
        json!({
            "successUrl": "https://shop.example/dv/done", "errorUrl": "https://shop.example/dv/failed",
            "baseColor": "0B3D91", "bgColor": "F4F1EA", "locale": "de",
            "headerImageUrl": "https://shop.example/logo.png"
        }),
    )
    .await?;
    // verifyd answers both initiations at once: the API's timestamp and the client's link.
    assert_eq!(answer["timestamp"], json!("2026-11-22T09:00:00.000Z"));
    let reference = text(&answer, "/scanReference")?.to_owned();
    let token = token_of(&server, &answer)?;
    assert_eq!(token.len(), 43, "256 bits in base64url: {token}");

    let (bill, _, _) = bill_jpeg(&[
        "NORTHWIND ENERGY",
        "",
        "MR JOHN SMITH",
        "12 EASY STREET",
        "SPRINGFIELD, IL 62704",
        "",
        "BILL DATE: 11/03/2026",
    ])?;
    let (other, _, _) = bill_jpeg(&["NOT THIS ONE"])?;
    let bill_path = scratch("dv-bill.jpg")?;
    let other_path = scratch("dv-other.jpg")?;
    std::fs::write(&bill_path, bill)?;
    std::fs::write(&other_path, other)?;
    let report = drive(json!({
        "href": text(&answer, "/clientRedirectUrl")?,
        "documents": [bill_path, other_path], "remove": "dv-other.jpg",
        "routes": ["https://shop.example/"], "shots": shots_dir(), "prefix": "documents"
    }))
    .await?;
    assert_clean(&report);
    let seen = steps(&report);
    assert_eq!(seen.first().map(String::as_str), Some("select"), "{report}");
    let screens = report["screens"].as_array().context("screens")?;
    for screen in screens {
        assert_eq!(screen["lang"], json!("de"), "{report}");
        // The token left the address bar before anything was shown.
        let url = screen["url"].as_str().unwrap_or_default();
        assert!(!url.contains("initiationToken"), "{url}");
    }
    // The customer's colors: bgColor behind the page, baseColor on the submit button.
    assert_eq!(screens[0]["colors"]["page"], json!("rgb(244, 241, 234)"));
    assert_eq!(screens[0]["colors"]["button"], json!("rgb(11, 61, 145)"));
    let end = text(&report, "/finalUrl")?;
    assert!(end.starts_with("https://shop.example/dv/done?"), "{end}");
    let pairs = query(end)?;
    assert_eq!(param(&pairs, "idScanStatus"), Some("SUCCESS"));
    assert_eq!(
        param(&pairs, "jumioIdScanReference"),
        Some(reference.as_str())
    );
    assert_eq!(param(&pairs, "errorCode"), None);

    // The chosen page, and only it, was read; the web client's upload is DOC_UPLOAD.
    let documents = format!("/api/netverify/v2/documents/{reference}");
    wait_for_document(&server, &reference, "DONE").await?;
    let data = ok_json(
        server
            .tenant(Method::GET, &format!("{documents}/data"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(data["transaction"]["status"], json!("DONE"), "{data}");
    assert_eq!(data["transaction"]["source"], json!("DOC_UPLOAD"));
    assert_eq!(
        data["document"]["extractedData"]["firstName"],
        json!("MR JOHN SMITH"),
        "{data}"
    );
    let pages = ok_json(
        server
            .tenant(Method::GET, &format!("{documents}/pages"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(pages["images"].as_array().map(Vec::len), Some(1), "{pages}");
    // Opened again, the link shows the document as submitted.
    let again = ok_json(session(&server, &token).await?).await?;
    assert_eq!(again["acquisition"], json!("FINALIZED"));
    server.stop().await
}

#[tokio::test]
async fn an_expired_link_sends_the_user_to_the_error_url_with_310() -> Result<()> {
    let server = TestServer::start().await?;
    let answer = initiate(
        &server,
        json!({"authorizationTokenLifetime": 600, "errorUrl": "https://shop.example/dv/failed"}),
    )
    .await?;
    let reference = text(&answer, "/scanReference")?.to_owned();
    let token = token_of(&server, &answer)?;
    server.advance(chrono::Duration::minutes(11));

    let expired = ok_json(session(&server, &token).await?).await?;
    assert_eq!(expired["acquisition"], json!("TOKEN_EXPIRED"));
    let pages_href = text(&expired, "/pagesHref")?.to_owned();
    refused(
        upload_with(&server, &token, &pages_href).await?,
        StatusCode::UNAUTHORIZED,
        "TOKEN_EXPIRED",
    )
    .await?;

    let report = drive(json!({
        "href": text(&answer, "/clientRedirectUrl")?, "routes": ["https://shop.example/"],
        "shots": shots_dir(), "prefix": "documents-expired"
    }))
    .await?;
    let end = text(&report, "/finalUrl")?;
    assert!(end.starts_with("https://shop.example/dv/failed?"), "{end}");
    let pairs = query(end)?;
    assert_eq!(param(&pairs, "idScanStatus"), Some("ERROR"));
    assert_eq!(
        param(&pairs, "jumioIdScanReference"),
        Some(reference.as_str())
    );
    assert_eq!(param(&pairs, "errorCode"), Some("310"));

    // Nothing was uploaded and the link is dead: once the API's 15 minutes are over too, FAILED.
    assert_eq!(
        document_status(&server, &reference).await?,
        json!("PENDING")
    );
    server.advance(chrono::Duration::minutes(5));
    assert_eq!(document_status(&server, &reference).await?, json!("FAILED"));
    server.stop().await
}

#[tokio::test]
async fn a_wrong_link_shows_error_211_on_the_page() -> Result<()> {
    let server = TestServer::start().await?;
    refused(
        session(&server, "not-a-token").await?,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await?;
    let href = server.url(&format!("{ACQUISITIONS}?initiationToken=not-a-token"));
    let page = reqwest::Client::new()
        .get(&href)
        .header("User-Agent", USER_AGENT)
        .send()
        .await?;
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()["content-security-policy"].to_str()?;
    assert!(policy.contains("default-src 'none'"), "{policy}");

    let report =
        drive(json!({"href": href, "shots": shots_dir(), "prefix": "documents-wrong"})).await?;
    assert_clean(&report);
    let last = report["screens"]
        .as_array()
        .and_then(|s| s.last())
        .context("a screen")?;
    assert_eq!(
        (last["step"].as_str(), last["code"].as_str()),
        (Some("error"), Some("211")),
        "{report}"
    );
    // No errorUrl is known for a token that opens nothing: the user stays on the page.
    assert!(
        text(&report, "/finalUrl")?.starts_with(&server.url(ACQUISITIONS)),
        "{report}"
    );
    server.stop().await
}

#[tokio::test]
async fn a_link_opens_its_own_transaction_only_and_only_while_the_api_has_not_taken_it(
) -> Result<()> {
    // A worker, whose idle turns sweep the transactions not finalized in time.
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let first = initiate(&server, json!({"authorizationTokenLifetime": "3600"})).await?;
    let second = initiate(&server, json!({})).await?;
    let (first_token, second_token) = (token_of(&server, &first)?, token_of(&server, &second)?);
    let first_session = ok_json(session(&server, &first_token).await?).await?;
    let second_session = ok_json(session(&server, &second_token).await?).await?;
    assert_eq!(first_session["acquisition"], json!("OPEN"));
    assert_eq!(first_session["scanReference"], first["scanReference"]);
    assert_eq!(first_session["maxPages"], json!(30));
    let second_pages = text(&second_session, "/pagesHref")?.to_owned();
    let second_finalize = text(&second_session, "/finalizeHref")?.to_owned();

    // The first transaction's token does not open the second.
    refused(
        upload_with(&server, &first_token, &second_pages).await?,
        StatusCode::FORBIDDEN,
        "TOKEN_NOT_FOR_THIS_EXECUTION",
    )
    .await?;
    refused(
        server
            .bearer(&first_token, Method::PUT, &second_finalize)
            .send()
            .await?,
        StatusCode::FORBIDDEN,
        "TOKEN_NOT_FOR_THIS_EXECUTION",
    )
    .await?;
    // The tenant's credentials do not stand in for a token, nor a token for the credentials.
    refused(
        server.tenant(Method::GET, SESSION).send().await?,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await?;
    let first_reference = text(&first, "/scanReference")?;
    refused(
        upload_with(
            &server,
            &first_token,
            &format!("{ACQUISITIONS}/{first_reference}/document/pages"),
        )
        .await?,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await?;

    // A page uploaded through the API makes the second transaction the API's: its link ends.
    let (jpeg, _, _) = bill_jpeg(&["A PAGE"])?;
    let second_reference = text(&second, "/scanReference")?;
    ok_json(
        server
            .tenant(
                Method::POST,
                &format!("{ACQUISITIONS}/{second_reference}/document/pages/1"),
            )
            .multipart(image_form(jpeg)?)
            .send()
            .await?,
    )
    .await?;
    let ended = ok_json(session(&server, &second_token).await?).await?;
    assert_eq!(ended["acquisition"], json!("TOKEN_EXPIRED"));
    refused(
        upload_with(&server, &second_token, &second_pages).await?,
        StatusCode::UNAUTHORIZED,
        "TOKEN_EXPIRED",
    )
    .await?;

    // The first waits for its user as long as its link lives, past the API's windows (the
    // sweep leaves it alone); the second, the API's since its page, has failed.
    server.advance(chrono::Duration::minutes(30));
    assert_eq!(
        document_status(&server, second_reference).await?,
        json!("FAILED")
    );
    assert_eq!(
        document_status(&server, first_reference).await?,
        json!("PENDING")
    );
    let first_pages = text(&first_session, "/pagesHref")?;
    ok_json(upload_with(&server, &first_token, first_pages).await?).await?;
    let finalize = text(&first_session, "/finalizeHref")?;
    ok_json(
        server
            .bearer(&first_token, Method::PUT, finalize)
            .send()
            .await?,
    )
    .await?;
    refused(
        upload_with(&server, &first_token, first_pages).await?,
        StatusCode::CONFLICT,
        "ACQUISITION_CLOSED",
    )
    .await?;
    let submitted = ok_json(session(&server, &first_token).await?).await?;
    assert_eq!(submitted["acquisition"], json!("FINALIZED"));
    server.stop().await
}
