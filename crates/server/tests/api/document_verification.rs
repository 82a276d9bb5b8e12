//! The Document Verification API: documents other than IDs (utility bills, bank statements)
//! initiated, uploaded page by page or as a PDF, finalized, their text read by the OCR and
//! retrieved as the retrieval guide shows, called back with a signed form and deleted; the
//! single-page `complete`; `supportedDocumentTypes`; and every request rule with its refusal.

use std::collections::HashMap;

use anyhow::{Context, Result};
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

const ACQUISITIONS: &str = "/api/netverify/v2/acquisitions";
const DOCUMENTS: &str = "/api/netverify/v2/documents";

fn file_form(bytes: Vec<u8>, name: &str, mime: &str) -> Result<Form> {
    Ok(Form::new().part(
        "image",
        Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(mime)?,
    ))
}

async fn initiate(server: &TestServer, body: &Value) -> Result<String> {
    let answer = ok_json(
        server
            .tenant(Method::POST, ACQUISITIONS)
            .json(body)
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        answer["timestamp"],
        json!("2026-11-22T09:00:00.000Z"),
        "{answer}"
    );
    // Every initiation also answers the web client's link (an API integration ignores it).
    let link = text(&answer, "/clientRedirectUrl")?;
    assert!(
        link.starts_with(&server.url(&format!("{ACQUISITIONS}?initiationToken="))),
        "{answer}"
    );
    Ok(text(&answer, "/scanReference")?.to_owned())
}

async fn add_page(
    server: &TestServer,
    reference: &str,
    page: &str,
    jpeg: Vec<u8>,
) -> Result<reqwest::Response> {
    Ok(server
        .tenant(
            Method::POST,
            &format!("{ACQUISITIONS}/{reference}/document/pages/{page}"),
        )
        .multipart(file_form(jpeg, "page.jpg", "image/jpeg")?)
        .send()
        .await?)
}

async fn finalize(server: &TestServer, reference: &str) -> Result<reqwest::Response> {
    Ok(server
        .tenant(Method::PUT, &format!("{ACQUISITIONS}/{reference}"))
        .send()
        .await?)
}

async fn get(server: &TestServer, path: &str) -> Result<Value> {
    ok_json(server.tenant(Method::GET, path).send().await?).await
}

/// Polls the status until the worker has read the pages (the OCR takes real time).
async fn wait_until_done(server: &TestServer, reference: &str) -> Result<()> {
    for _ in 0..1200 {
        let status = get(server, &format!("{DOCUMENTS}/{reference}")).await?;
        if status["status"] == "DONE" {
            return Ok(());
        }
        assert_eq!(status["status"], json!("PENDING"), "{status}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("the document was not read in time")
}

fn nested(document: &Value) -> Result<Value> {
    let nested = text(document, "/extractedData/extractedData")?;
    Ok(serde_json::from_str(nested)?)
}

#[tokio::test]
async fn a_three_page_utility_bill_is_read_through_to_retrieval_callback_and_deletion() -> Result<()>
{
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let reference = initiate(
        &server,
        &json!({
            "type": "UB",
            "country": "USA",
            "merchantScanReference": "bill_1234",
            "customerId": "customer_1234",
            "merchantReportingCriteria": "report_1",
            "callbackUrl": receiver.url,
        }),
    )
    .await?;
    let pages = [
        bill_jpeg(&[
            "NORTHWIND ENERGY",
            "",
            "MR JOHN SMITH",
            "12 EASY STREET",
            "SPRINGFIELD, IL 62704",
            "",
            "BILL DATE: 11/03/2026",
            "ACCOUNT 99 1234 5678",
        ])?,
        bill_jpeg(&["YOUR USAGE", "ELECTRICITY 412 KWH", "AMOUNT DUE: 84.20 USD"])?,
        bill_jpeg(&["PAYMENT", "DUE DATE: 24 NOVEMBER 2026", "THANK YOU"])?,
    ];
    for (index, (jpeg, _, _)) in pages.iter().enumerate() {
        let response =
            add_page(&server, &reference, &(index + 1).to_string(), jpeg.clone()).await?;
        let answer = ok_json(response).await?;
        assert!(answer["timestamp"].is_string(), "{answer}");
    }
    ok_json(finalize(&server, &reference).await?).await?;
    wait_until_done(&server, &reference).await?;

    let data = get(&server, &format!("{DOCUMENTS}/{reference}/data")).await?;
    assert_eq!(data["scanReference"], json!(reference));
    let document = &data["document"];
    assert_eq!(document["status"], json!("EXTRACTED"), "{data}");
    assert_eq!(document["type"], json!("UB"));
    assert_eq!(document["country"], json!("USA"));
    assert_eq!(
        document["extractedData"]["firstName"],
        json!("MR JOHN SMITH"),
        "{data}"
    );
    let read = nested(document)?;
    assert_eq!(read["issueDate"], json!("2026-11-03"), "{read}");
    assert_eq!(read["dueDate"], json!("2026-11-24"), "{read}");
    assert_eq!(read["addressFormat"], json!("RAW"));
    assert_eq!(read["line1"], json!("12 EASY STREET"), "{read}");
    assert_eq!(read["city"], json!("SPRINGFIELD"), "{read}");
    assert_eq!(read["subdivision"], json!("IL"), "{read}");
    assert_eq!(read["postalCode"], json!("62704"), "{read}");
    assert!(document.get("notExtracted").is_none(), "{data}");
    let transaction = &data["transaction"];
    assert_eq!(transaction["status"], json!("DONE"));
    assert_eq!(transaction["source"], json!("DOC_API"));
    assert_eq!(transaction["merchantScanReference"], json!("bill_1234"));
    assert_eq!(transaction["customerId"], json!("customer_1234"));
    assert_eq!(transaction["merchantReportingCriteria"], json!("report_1"));

    let only_document = get(&server, &format!("{DOCUMENTS}/{reference}/data/document")).await?;
    assert_eq!(only_document["scanReference"], json!(reference));
    assert_eq!(only_document["status"], json!("EXTRACTED"));
    assert!(only_document["timestamp"].is_string());
    let only_transaction = get(
        &server,
        &format!("{DOCUMENTS}/{reference}/data/transaction"),
    )
    .await?;
    assert_eq!(only_transaction["source"], json!("DOC_API"));

    let images = get(&server, &format!("{DOCUMENTS}/{reference}/pages")).await?;
    let listed: Vec<(u64, String)> = images["images"]
        .as_array()
        .context("images")?
        .iter()
        .filter_map(|image| {
            Some((
                image["classifier"].as_u64()?,
                image["href"].as_str()?.to_owned(),
            ))
        })
        .collect();
    assert_eq!(listed.len(), 3, "{images}");
    assert_eq!(listed[1].0, 2);
    assert!(
        listed[1]
            .1
            .ends_with(&format!("{DOCUMENTS}/{reference}/pages/2")),
        "{images}"
    );
    let page = server
        .tenant(Method::GET, &format!("{DOCUMENTS}/{reference}/pages/2"))
        .send()
        .await?;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["content-type"], "image/jpeg");
    assert_eq!(page.bytes().await?.to_vec(), pages[1].0);

    receiver.wait_for(1).await?;
    let received = receiver.all().into_iter().next().context("a callback")?;
    assert!(server.signed_by_the_tenant(&received).await?);
    let (headers, callback) = received;
    assert_eq!(headers["content-type"], "application/x-www-form-urlencoded");
    let form: HashMap<String, String> =
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&callback)?
            .into_iter()
            .collect();
    assert_eq!(form.get("scanReference"), Some(&reference));
    let called_document: Value = serde_json::from_str(form.get("document").context("document")?)?;
    assert_eq!(
        called_document["status"],
        json!("EXTRACTED"),
        "{called_document}"
    );
    assert_eq!(called_document["type"], json!("UB"));
    assert_eq!(called_document["images"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        called_document["extractedData"]["dueDate"],
        json!("2026-11-24")
    );
    assert_eq!(
        called_document["extractedData"]["address"]["postalCode"],
        json!("62704")
    );
    let called_transaction: Value =
        serde_json::from_str(form.get("transaction").context("transaction")?)?;
    assert_eq!(called_transaction["status"], json!("DONE"));
    assert_eq!(called_transaction["source"], json!("DOC_API"));
    assert_eq!(called_transaction["customerId"], json!("customer_1234"));

    // Another tenant reaches nothing of it.
    let other = server.other_tenant("globex").await?;
    for (method, path) in [
        (Method::GET, format!("{DOCUMENTS}/{reference}")),
        (Method::GET, format!("{DOCUMENTS}/{reference}/data")),
        (Method::GET, format!("{DOCUMENTS}/{reference}/pages/1")),
        (Method::DELETE, format!("{DOCUMENTS}/{reference}")),
    ] {
        let (status, error) =
            error_json(server.as_client(&other, method, &path).send().await?).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error["code"], json!("TRANSACTION_NOT_FOUND"), "{error}");
    }

    let deleted = server
        .tenant(Method::DELETE, &format!("{DOCUMENTS}/{reference}"))
        .send()
        .await?;
    assert_eq!(deleted.status(), StatusCode::OK);
    for path in [
        format!("{DOCUMENTS}/{reference}"),
        format!("{DOCUMENTS}/{reference}/pages/1"),
    ] {
        let (status, _) = error_json(server.tenant(Method::GET, &path).send().await?).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(
        server.blobs_containing(&reference).is_empty(),
        "the pages' files are gone"
    );
    server.stop().await
}

#[tokio::test]
async fn a_pdf_bank_statement_is_read_through_to_retrieval() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let reference = initiate(
        &server,
        &json!({"type": "BS", "country": "GBR", "merchantScanReference": "statement_1", "customerId": "customer_2"}),
    )
    .await?;
    let pdf = pdf_of_scans(&[
        bill_jpeg(&[
            "HIGH STREET BANK",
            "",
            "ACCOUNT HOLDER: JANE DOE",
            "ADDRESS: 5 HIGH STREET",
            "LONDON SW1A 1AA",
            "STATEMENT DATE: 03/11/2026",
        ])?,
        bill_jpeg(&[
            "ACCOUNT NUMBER: 12345678",
            "SWIFT: NWBKGB2L",
            "CLOSING BALANCE 1024.00",
        ])?,
    ]);
    let answer = ok_json(
        server
            .tenant(
                Method::POST,
                &format!("{ACQUISITIONS}/{reference}/document"),
            )
            .multipart(file_form(pdf.clone(), "statement.pdf", "application/pdf")?)
            .send()
            .await?,
    )
    .await?;
    assert_eq!(answer["pages"], json!(2), "{answer}");
    ok_json(finalize(&server, &reference).await?).await?;
    wait_until_done(&server, &reference).await?;

    let data = get(&server, &format!("{DOCUMENTS}/{reference}/data")).await?;
    let document = &data["document"];
    assert_eq!(document["status"], json!("EXTRACTED"), "{data}");
    assert_eq!(document["type"], json!("BS"));
    assert_eq!(
        document["extractedData"]["firstName"],
        json!("JANE DOE"),
        "{data}"
    );
    let read = nested(document)?;
    assert_eq!(read["accountNumber"], json!("12345678"), "{read}");
    assert_eq!(read["swiftCode"], json!("NWBKGB2L"), "{read}");
    assert_eq!(read["issueDate"], json!("2026-11-03"), "{read}");
    assert_eq!(read["line1"], json!("5 HIGH STREET"), "{read}");
    assert_eq!(read["postalCode"], json!("SW1A 1AA"), "{read}");
    let original = text(document, "/originalDocument")?;
    assert!(
        original.ends_with(&format!("{DOCUMENTS}/{reference}/original")),
        "{original}"
    );
    let served = server
        .tenant(Method::GET, &format!("{DOCUMENTS}/{reference}/original"))
        .send()
        .await?;
    assert_eq!(served.headers()["content-type"], "application/pdf");
    assert_eq!(served.bytes().await?.to_vec(), pdf);
    let images = get(&server, &format!("{DOCUMENTS}/{reference}/pages")).await?;
    assert_eq!(
        images["images"].as_array().map(Vec::len),
        Some(2),
        "{images}"
    );
    server.stop().await
}

#[tokio::test]
async fn a_single_page_upload_initiates_and_finalizes_at_once() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let (jpeg, _, _) = bill_jpeg(&["LOREM IPSUM", "DOLOR SIT AMET"])?;
    let form = file_form(jpeg, "page.jpg", "image/jpeg")?.text(
        "metadata",
        json!({"type": "UB", "country": "USA", "merchantScanReference": "single_1", "customerId": "customer_3", "clientIp": "203.0.113.9"}).to_string(),
    );
    let answer = ok_json(
        server
            .tenant(Method::POST, &format!("{ACQUISITIONS}/complete"))
            .multipart(form)
            .send()
            .await?,
    )
    .await?;
    let reference = text(&answer, "/scanReference")?.to_owned();
    // Nothing is left to upload: no web client link.
    assert!(answer.get("clientRedirectUrl").is_none(), "{answer}");
    wait_until_done(&server, &reference).await?;
    let data = get(&server, &format!("{DOCUMENTS}/{reference}/data")).await?;
    // Nothing of a utility bill is on the page: extraction found no data point, and says so.
    assert_eq!(data["document"]["status"], json!("DISCARDED"), "{data}");
    assert!(data["document"].get("extractedData").is_none(), "{data}");
    assert_eq!(
        data["document"]["notExtracted"],
        json!(["name", "issueDate", "address", "dueDate"])
    );
    server.stop().await
}

#[tokio::test]
async fn supported_document_types_are_the_guides() -> Result<()> {
    let server = TestServer::start().await?;
    let answer = get(&server, "/api/netverify/v2/supportedDocumentTypes").await?;
    let types = answer["supportedDocumentTypes"]
        .as_array()
        .context("types")?;
    assert_eq!(types.len(), 26);
    assert_eq!(types[0], json!({"code": "BS", "name": "Bank statement"}));
    assert!(types.contains(&json!({"code": "CUSTOM", "name": "DOCUMENT"})));
    assert!(types.contains(&json!({"code": "UB", "name": "Utility bill"})));
    server.stop().await
}

#[tokio::test]
async fn each_document_verification_rule_is_refused() -> Result<()> {
    let server = TestServer::start_with(|settings| {
        // A worker runs the sweep that fails the transaction never finalized.
        settings.processing.workers = 1;
        settings.limits.initiations_per_second = 0;
        settings.limits.initiations_per_minute = 0;
    })
    .await?;
    let valid =
        json!({"type": "UB", "country": "USA", "merchantScanReference": "r", "customerId": "c"});
    for (change, code, field) in [
        (json!({"type": null}), "INVALID_FIELD", "type"),
        (json!({"type": "PASSPORT"}), "INVALID_FIELD", "type"),
        (json!({"country": null}), "INVALID_FIELD", "country"),
        (json!({"country": "ZZZ"}), "INVALID_FIELD", "country"),
        (
            json!({"merchantScanReference": null}),
            "INVALID_FIELD",
            "merchantScanReference",
        ),
        (
            json!({"customerId": "c".repeat(101)}),
            "INVALID_FIELD",
            "customerId",
        ),
        (
            json!({"type": "CUSTOM"}),
            "INVALID_FIELD",
            "customDocumentCode",
        ),
        (
            json!({"callbackUrl": "ftp://example.com/x"}),
            "INVALID_FIELD",
            "callbackUrl",
        ),
        (
            json!({"enableExtraction": "maybe"}),
            "INVALID_FIELD",
            "enableExtraction",
        ),
        (
            json!({"successUrl": "ftp://example.com/ok"}),
            "INVALID_FIELD",
            "successUrl",
        ),
        (
            json!({"errorUrl": "https://example.com/failed#top"}),
            "INVALID_FIELD",
            "errorUrl",
        ),
        (
            json!({"headerImageUrl": "https://example.com/".to_owned() + &"a".repeat(250)}),
            "INVALID_FIELD",
            "headerImageUrl",
        ),
        (
            json!({"authorizationTokenLifetime": 5_184_001}),
            "INVALID_FIELD",
            "authorizationTokenLifetime",
        ),
        (json!({"baseColor": "00FF00"}), "INVALID_FIELD", "bgColor"),
        (
            json!({"baseColor": "green", "bgColor": "FFFFFF"}),
            "INVALID_FIELD",
            "baseColor",
        ),
        (json!({"locale": "xx_XX"}), "INVALID_FIELD", "locale"),
    ] {
        let mut body = valid.clone();
        for (name, value) in change.as_object().context("change")? {
            body[name] = value.clone();
        }
        let response = server
            .tenant(Method::POST, ACQUISITIONS)
            .json(&body)
            .send()
            .await?;
        let error = refused(response, StatusCode::BAD_REQUEST, code).await?;
        assert!(text(&error, "/message")?.contains(field), "{error}");
    }

    let reference = initiate(&server, &valid).await?;
    let (page, _, _) = bill_jpeg(&["A PAGE"])?;
    for number in ["0", "31", "x"] {
        refused(
            add_page(&server, &reference, number, page.clone()).await?,
            StatusCode::BAD_REQUEST,
            "TOO_MANY_PAGES",
        )
        .await?;
    }
    let card = initiate(
        &server,
        &json!({"type": "CC", "merchantScanReference": "r", "customerId": "c"}),
    )
    .await?;
    refused(
        add_page(&server, &card, "3", page.clone()).await?,
        StatusCode::BAD_REQUEST,
        "TOO_MANY_PAGES",
    )
    .await?;
    refused(
        add_page(
            &server,
            &reference,
            "1",
            b"plain text, not a picture".to_vec(),
        )
        .await?,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_FILE_TYPE",
    )
    .await?;
    let two_pages = pdf_of_scans(&[bill_jpeg(&["ONE"])?, bill_jpeg(&["TWO"])?]);
    let response = server
        .tenant(
            Method::POST,
            &format!("{ACQUISITIONS}/{reference}/document/pages/1"),
        )
        .multipart(file_form(two_pages, "two.pdf", "application/pdf")?)
        .send()
        .await?;
    refused(response, StatusCode::BAD_REQUEST, "MULTI_PAGE_PDF").await?;
    let response = server
        .tenant(
            Method::POST,
            &format!("{ACQUISITIONS}/{reference}/document"),
        )
        .multipart(file_form(pdf(), "empty.pdf", "application/pdf")?)
        .send()
        .await?;
    refused(response, StatusCode::BAD_REQUEST, "UNREADABLE_PDF_PAGE").await?;
    let response = server
        .tenant(
            Method::POST,
            &format!("{ACQUISITIONS}/{reference}/document"),
        )
        .multipart(file_form(page.clone(), "page.jpg", "image/jpeg")?)
        .send()
        .await?;
    refused(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_FILE_TYPE",
    )
    .await?;
    let response = server
        .tenant(
            Method::POST,
            &format!("{ACQUISITIONS}/{reference}/document/pages/1"),
        )
        .body(page.clone())
        .send()
        .await?;
    refused(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
    )
    .await?;
    let response = server
        .tenant(
            Method::POST,
            &format!("{ACQUISITIONS}/{reference}/document/pages/1"),
        )
        .multipart(Form::new().text("note", "no file"))
        .send()
        .await?;
    refused(response, StatusCode::BAD_REQUEST, "MISSING_FILE").await?;
    refused(
        finalize(&server, &reference).await?,
        StatusCode::BAD_REQUEST,
        "NOTHING_UPLOADED",
    )
    .await?;
    let response = server
        .tenant(Method::POST, &format!("{ACQUISITIONS}/complete"))
        .multipart(file_form(page.clone(), "page.jpg", "image/jpeg")?)
        .send()
        .await?;
    let error = refused(response, StatusCode::BAD_REQUEST, "INVALID_FIELD").await?;
    assert!(text(&error, "/message")?.starts_with("metadata"), "{error}");
    let unknown = "00000000-0000-4000-8000-000000000000";
    refused(
        add_page(&server, unknown, "1", page.clone()).await?,
        StatusCode::NOT_FOUND,
        "TRANSACTION_NOT_FOUND",
    )
    .await?;
    refused(
        finalize(&server, unknown).await?,
        StatusCode::NOT_FOUND,
        "TRANSACTION_NOT_FOUND",
    )
    .await?;

    // Finalized: no more pages.
    ok_json(add_page(&server, &reference, "1", page.clone()).await?).await?;
    ok_json(finalize(&server, &reference).await?).await?;
    refused(
        add_page(&server, &reference, "2", page.clone()).await?,
        StatusCode::CONFLICT,
        "ACQUISITION_CLOSED",
    )
    .await?;
    refused(
        finalize(&server, &reference).await?,
        StatusCode::CONFLICT,
        "ACQUISITION_CLOSED",
    )
    .await?;

    // Idle for more than 5 minutes: no more pages; not finalized within 15 minutes: FAILED,
    // and the FAILED callback is sent.
    let receiver = Receiver::start(Vec::new()).await?;
    let mut with_callback = valid.clone();
    with_callback["callbackUrl"] = json!(receiver.url);
    let idle = initiate(&server, &with_callback).await?;
    ok_json(add_page(&server, &idle, "1", page.clone()).await?).await?;
    server.advance(chrono::Duration::minutes(6));
    refused(
        add_page(&server, &idle, "2", page.clone()).await?,
        StatusCode::CONFLICT,
        "ACQUISITION_CLOSED",
    )
    .await?;
    assert_eq!(
        get(&server, &format!("{DOCUMENTS}/{idle}")).await?["status"],
        json!("PENDING")
    );
    server.advance(chrono::Duration::minutes(10));
    assert_eq!(
        get(&server, &format!("{DOCUMENTS}/{idle}")).await?["status"],
        json!("FAILED")
    );
    receiver.wait_for(1).await?;
    let (_, callback) = receiver.all().into_iter().next().context("a callback")?;
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&callback)?;
    let parameter = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .with_context(|| format!("{name} in {form:?}"))
    };
    assert_eq!(parameter("scanReference")?, idle);
    let transaction: Value = serde_json::from_str(&parameter("transaction")?)?;
    assert_eq!(transaction["status"], json!("FAILED"), "{transaction}");
    assert_eq!(transaction["source"], json!("DOC_API"), "{transaction}");
    // Once: the sweep does not fail it again.
    server.advance(chrono::Duration::minutes(1));
    assert_eq!(
        get(&server, &format!("{DOCUMENTS}/{idle}")).await?["status"],
        json!("FAILED")
    );
    server.stop().await
}

#[tokio::test]
async fn hostile_pdfs_are_refused_with_a_reason_and_the_server_keeps_serving() -> Result<()> {
    use verifyd_engine::upload::hostile::{pdf_with, pdf_with_object_stream, zlib};
    let server = TestServer::start().await?;
    let reference = initiate(
        &server,
        &json!({"type": "BS", "country": "GBR", "merchantScanReference": "r", "customerId": "c"}),
    )
    .await?;
    let send = |pdf: Vec<u8>| {
        server
            .tenant(
                Method::POST,
                &format!("{ACQUISITIONS}/{reference}/document"),
            )
            .multipart(file_form(pdf, "hostile.pdf", "application/pdf").unwrap_or_default())
            .send()
    };
    // 200 MB of zeros in an object stream, and nesting 100,000 deep: the inspection refuses.
    let bomb = pdf_with_object_stream(&zlib(&vec![0u8; 200 << 20]));
    refused(send(bomb).await?, StatusCode::BAD_REQUEST, "CORRUPT_FILE").await?;
    let deep = pdf_with(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
    refused(send(deep).await?, StatusCode::BAD_REQUEST, "CORRUPT_FILE").await?;
    // A page whose only image inflates past the engine's limit (8000 x 8000 RGB, 192 MB): the
    // image is left out, and a page with nothing left to read is refused.
    let inflating = pdf_of_flate_image(8000, 8000, zlib(&vec![0u8; 8000 * 8000 * 3]));
    refused(
        send(inflating).await?,
        StatusCode::BAD_REQUEST,
        "UNREADABLE_PDF_PAGE",
    )
    .await?;
    get(&server, "/api/netverify/v2/supportedDocumentTypes").await?;
    server.stop().await
}
