//! The older netverify API: v4 initiate, the web session its redirect URL opens, the scans
//! retrieval API, the form-encoded callback and the delete API.

use std::collections::HashMap;

use anyhow::{Context, Result};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_testkit::*;

async fn initiate(server: &TestServer, body: Value) -> Result<Value> {
    ok_json(
        server
            .tenant(Method::POST, "/api/v4/initiate")
            .json(&body)
            .send()
            .await?,
    )
    .await
}

fn form(body: &[u8]) -> Result<HashMap<String, String>> {
    Ok(serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)?
        .into_iter()
        .collect())
}

#[tokio::test]
async fn a_v4_transaction_runs_from_initiate_to_deletion() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let initiated = initiate(
        &server,
        json!({
            "customerInternalReference": "transaction_1234",
            "userReference": "user_1234",
            "reportingCriteria": "myReport1234",
            "successUrl": "https://www.example.com/success",
            "errorUrl": "https://www.example.com/error",
            "callbackUrl": receiver.url,
            "workflowId": 102,
            "presets": [{"index": 1, "country": "AUT", "type": "PASSPORT"}],
            "locale": "en-GB",
            "tokenLifetimeInMinutes": 60
        }),
    )
    .await?;
    assert_eq!(initiated["timestamp"], json!("2026-11-22T09:00:00.000Z"));
    let reference = text(&initiated, "/transactionReference")?.to_owned();
    assert_eq!(reference.len(), 36);
    let redirect = text(&initiated, "/redirectUrl")?;
    assert!(
        redirect.starts_with(&format!("{}/web/v4/app?", server.base)),
        "{redirect}"
    );
    assert!(redirect.contains("locale=en-GB"), "{redirect}");
    let token = authorization_token(redirect)?;

    // What the web client learns from its token.
    let session = ok_json(
        server
            .bearer(&token, Method::GET, "/api/v1/web/session")
            .send()
            .await?,
    )
    .await?;
    assert_eq!(session["workflowExecutionId"], json!(reference));
    assert_eq!(session["api"], json!("NETVERIFY_V4"));
    assert_eq!(session["captureMethod"], json!("UPLOAD_ONLY"));
    assert_eq!(session["definitionKey"], json!("2"));
    assert_eq!(session["status"], json!("INITIATED"));
    assert_eq!(
        session["successUrl"],
        json!("https://www.example.com/success")
    );
    let id = session["credentials"]
        .as_array()
        .and_then(|credentials| credentials.iter().find(|c| c["category"] == "ID"))
        .context("ID credential")?;
    assert_eq!(
        id["country"],
        json!({"predefinedType": "DEFINED", "values": ["AUT"]})
    );
    assert_eq!(
        id["type"],
        json!({"predefinedType": "DEFINED", "values": ["PASSPORT"]})
    );
    let pending = ok_json(
        server
            .tenant(Method::GET, &format!("/api/netverify/v2/scans/{reference}"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(pending["status"], json!("PENDING"));
    assert_eq!(pending["scanReference"], json!(reference));

    // The journey: upload the front with the web token, then finalize.
    let front = encode_jpeg(document_photo(1280, 810, 4));
    ok_json(
        server
            .upload(
                &token,
                Method::POST,
                text(id, "/parts/front")?,
                front.clone(),
                "front.jpg",
            )
            .await?,
    )
    .await?;
    server
        .finalize(&token, text(&session, "/finalizeHref")?)
        .await?;
    wait_for_scan(&server, &reference, "DONE").await?;

    let data = ok_json(
        server
            .tenant(
                Method::GET,
                &format!("/api/netverify/v2/scans/{reference}/data"),
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(data["scanReference"], json!(reference));
    assert_eq!(
        data["transaction"],
        json!({
            "status": "DONE", "source": "WEB", "date": "2026-11-22T09:00:00.000Z",
            "customerId": "user_1234", "merchantScanReference": "transaction_1234",
            "merchantReportingCriteria": "myReport1234"
        })
    );
    let status = text(&data, "/document/status")?.to_owned();
    // A generated picture is no identity document: it must never be approved.
    assert_ne!(status, "APPROVED_VERIFIED");
    assert!(data["verification"]["rejectReason"]["rejectReasonCode"].is_string());
    let document = ok_json(
        server
            .tenant(
                Method::GET,
                &format!("/api/netverify/v2/scans/{reference}/data/document"),
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(document["status"], json!(status));
    assert_eq!(document["scanReference"], json!(reference));

    // The callback: form-encoded, signed, and saying what retrieval says.
    receiver.wait_for(1).await?;
    let (headers, body) = receiver.all().into_iter().next().context("a callback")?;
    assert_eq!(
        headers.get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/x-www-form-urlencoded"[..])
    );
    assert!(headers.contains_key("x-verifyd-signature"));
    let callback = form(&body)?;
    let field = |name: &str| callback.get(name).map(String::as_str);
    assert_eq!(field("callBackType"), Some("NETVERIFYID"));
    assert_eq!(field("jumioIdScanReference"), Some(reference.as_str()));
    assert_eq!(field("verificationStatus"), Some(status.as_str()));
    assert_eq!(field("idScanStatus"), Some("ERROR"));
    assert_eq!(field("idCheckMRZcode"), Some("N/A"));
    assert_eq!(field("merchantIdScanReference"), Some("transaction_1234"));
    assert_eq!(field("customerId"), Some("user_1234"));
    assert_eq!(field("presetCountry"), Some("AUT"));
    assert_eq!(field("presetIdType"), Some("PASSPORT"));
    assert_eq!(field("transactionDate"), Some("2026-11-22T09:00:00.000Z"));
    let reject: Value = serde_json::from_str(field("rejectReason").context("rejectReason")?)?;
    assert_eq!(
        reject, data["verification"]["rejectReason"],
        "callback and retrieval agree"
    );
    let image = server
        .tenant(Method::GET, field("idScanImage").context("idScanImage")?)
        .send()
        .await?;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.bytes().await?.as_ref(), front.as_slice());

    // Deletion, as the delete API's samples write it (a trailing slash): everything is gone, a
    // second deletion finds nothing.
    let deleted = server
        .tenant(
            Method::DELETE,
            &format!("/api/netverify/v2/scans/{reference}/"),
        )
        .send()
        .await?;
    assert_eq!(deleted.status(), StatusCode::OK);
    for path in [
        format!("/api/netverify/v2/scans/{reference}"),
        format!("/api/netverify/v2/scans/{reference}/data"),
        format!("/api/netverify/v2/scans/{reference}/images/front"),
    ] {
        let (status, body) = error_json(server.tenant(Method::GET, &path).send().await?).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    assert!(files_below(&server.blob_dir()).is_empty(), "images deleted");
    let again = server
        .tenant(
            Method::DELETE,
            &format!("/api/netverify/v2/scans/{reference}"),
        )
        .send()
        .await?;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    server.stop().await
}

/// The liveness challenge's frames of a v4 ID + Identity transaction, as the web client uploads
/// them, are listed under `livenessImages` in capture order and served as uploaded by
/// `.../images/liveness/{n}`; a number no frame has is 404.
#[tokio::test]
async fn a_v4_transactions_liveness_frames_are_listed_and_served() -> Result<()> {
    let server = TestServer::start().await?;
    let initiated = initiate(
        &server,
        json!({"customerInternalReference": "t", "userReference": "u", "workflowId": 200}),
    )
    .await?;
    let reference = text(&initiated, "/transactionReference")?.to_owned();
    let token = authorization_token(text(&initiated, "/redirectUrl")?)?;
    let session = ok_json(
        server
            .bearer(&token, Method::GET, "/api/v1/web/session")
            .send()
            .await?,
    )
    .await?;
    let facemap = session["credentials"]
        .as_array()
        .and_then(|credentials| credentials.iter().find(|c| c["category"] == "FACEMAP"))
        .context("FACEMAP credential")?;
    // As the web client finds it.
    let base = text(facemap, "/parts/facemap")?
        .trim_end_matches("/parts/FACEMAP")
        .to_owned();
    let challenge = ok_json(
        server
            .bearer(&token, Method::POST, &format!("{base}/liveness-challenge"))
            .send()
            .await?,
    )
    .await?;
    let turns: Vec<String> = challenge["turns"]
        .as_array()
        .context("turns")?
        .iter()
        .filter_map(|turn| turn.as_str().map(str::to_owned))
        .collect();
    let frames = crate::faces::frames_performing("obama2.jpg", &turns, 3)?;
    let frames_href = text(&challenge, "/frames")?;
    for (n, frame) in (1..).zip(&frames) {
        let href = frames_href.replace("{n}", &n.to_string());
        ok_json(
            server
                .upload(&token, Method::POST, &href, frame.clone(), "frame.jpg")
                .await?,
        )
        .await?;
    }

    let images = ok_json(
        server
            .tenant(
                Method::GET,
                &format!("/api/netverify/v2/scans/{reference}/images"),
            )
            .send()
            .await?,
    )
    .await?;
    let listed = images["livenessImages"]
        .as_array()
        .with_context(|| format!("livenessImages in {images}"))?;
    assert_eq!(listed.len(), frames.len(), "{images}");
    for (n, (href, frame)) in (1..).zip(listed.iter().zip(&frames)) {
        let href = href.as_str().context("a URL")?;
        assert_eq!(
            href,
            server.url(&format!(
                "/api/netverify/v2/scans/{reference}/images/liveness/{n}"
            ))
        );
        let served = server.tenant(Method::GET, href).send().await?;
        assert_eq!(served.status(), StatusCode::OK, "{href}");
        assert_eq!(served.bytes().await?.as_ref(), frame.as_slice(), "{href}");
    }
    for missing in [frames.len() + 1, 0] {
        let path = format!("/api/netverify/v2/scans/{reference}/images/liveness/{missing}");
        let (status, body) = error_json(server.tenant(Method::GET, &path).send().await?).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
    }
    server.stop().await
}

#[tokio::test]
async fn v4_initiate_names_the_field_that_breaks_a_rule() -> Result<()> {
    let server = TestServer::start().await?;
    let valid = json!({"customerInternalReference": "t", "userReference": "u"});
    for (change, field) in [
        (json!({"workflowId": 300}), "workflowId"),
        (
            json!({"tokenLifetimeInMinutes": 4}),
            "tokenLifetimeInMinutes",
        ),
        (
            json!({"tokenLifetimeInMinutes": 86401}),
            "tokenLifetimeInMinutes",
        ),
        (json!({"userReference": null}), "userReference"),
        (
            json!({"callbackUrl": "ftp://example.com/cb"}),
            "callbackUrl",
        ),
        (json!({"locale": "xx"}), "locale"),
        (
            json!({"presets": [{"index": 1, "country": "AUT"}]}),
            "presets[0].type",
        ),
    ] {
        let mut body = valid.clone();
        if let (Some(body), Some(change)) = (body.as_object_mut(), change.as_object()) {
            for (key, value) in change {
                if value.is_null() {
                    body.remove(key);
                } else {
                    body.insert(key.clone(), value.clone());
                }
            }
        }
        let (status, error) = error_json(
            server
                .tenant(Method::POST, "/api/v4/initiate")
                .json(&body)
                .send()
                .await?,
        )
        .await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{change}");
        assert!(
            error.to_string().contains(field),
            "{change}: {error} should name {field}"
        );
    }
    let initiated = initiate(
        &server,
        json!({"customerInternalReference": "t", "userReference": "u", "workflowId": 201}),
    )
    .await?;
    let session = ok_json(
        server
            .bearer(
                &authorization_token(text(&initiated, "/redirectUrl")?)?,
                Method::GET,
                "/api/v1/web/session",
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(session["definitionKey"], json!("3"));
    assert_eq!(session["captureMethod"], json!("CAMERA_ONLY"));
    assert_eq!(session["biometric"], json!(true));
    server.stop().await
}

#[tokio::test]
async fn an_abandoned_v4_transaction_fails_with_no_id_uploaded() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let initiated = initiate(
        &server,
        json!({"customerInternalReference": "t", "userReference": "u", "callbackUrl": receiver.url, "tokenLifetimeInMinutes": 5}),
    )
    .await?;
    let reference = text(&initiated, "/transactionReference")?.to_owned();
    server.advance(Duration::minutes(5));
    receiver.wait_for(1).await?;
    let (_, body) = receiver.all().into_iter().next().context("a callback")?;
    let callback = form(&body)?;
    assert_eq!(
        callback.get("verificationStatus").map(String::as_str),
        Some("NO_ID_UPLOADED")
    );
    assert_eq!(
        callback.get("jumioIdScanReference").map(String::as_str),
        Some(reference.as_str())
    );
    assert!(!callback.contains_key("idScanImage"));
    wait_for_scan(&server, &reference, "FAILED").await?;
    server.stop().await
}

#[tokio::test]
async fn transactions_are_only_visible_to_their_tenant_and_their_api() -> Result<()> {
    let server = TestServer::start().await?;
    let initiated = initiate(
        &server,
        json!({"customerInternalReference": "t", "userReference": "u"}),
    )
    .await?;
    let reference = text(&initiated, "/transactionReference")?;
    let other = server.other_tenant("globex").await?;
    for method in [Method::GET, Method::DELETE] {
        let (status, _) = error_json(
            server
                .as_client(
                    &other,
                    method.clone(),
                    &format!("/api/netverify/v2/scans/{reference}"),
                )
                .send()
                .await?,
        )
        .await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}");
    }
    // A v4 scan is not an authentication nor a document verification.
    for kind in ["authentications", "documents"] {
        let (status, _) = error_json(
            server
                .tenant(
                    Method::DELETE,
                    &format!("/api/netverify/v2/{kind}/{reference}"),
                )
                .send()
                .await?,
        )
        .await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{kind}");
    }
    // A KYX workflow execution is not a scan.
    let account = server
        .create_account(json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}}))
        .await?;
    let execution = text(&account, "/workflowExecution/id")?;
    let (status, _) = error_json(
        server
            .tenant(Method::GET, &format!("/api/netverify/v2/scans/{execution}"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A KYX API token is not a web session.
    let api_token = text(credential(&account, "ID")?, "/api/token")?;
    let (status, _) = error_json(
        server
            .bearer(api_token, Method::GET, "/api/v1/web/session")
            .send()
            .await?,
    )
    .await?;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.stop().await
}

/// The netverify country of a rendered passport: its MRZ's issuing state (Germany's is `D`).
fn issuing_country(mrz: &str) -> String {
    let state = mrz.get(2..5).unwrap_or_default().trim_end_matches('<');
    if state == "D" { "DEU" } else { state }.to_owned()
}

#[tokio::test]
async fn a_v4_preset_asks_for_watchlist_screening_and_retrieval_and_callback_report_it(
) -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    server.import_watchlist(&["un/UN_consolidated.xml"]).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    // UN LYi.023, born 7 May 1988.
    let holder = Holder {
        surname: "AL FITOURI".to_owned(),
        given_names: "AHMAD OUMAR IMHAMAD".to_owned(),
        birth_date: MrzDate::new(1988, 5, 7).context("a date")?,
    };
    let transaction = |checks: Option<Value>, seed: u32| {
        let server = &server;
        let holder = &holder;
        let callback_url = receiver.url.clone();
        async move {
            let passport = passport_for("obama2.jpg", holder, seed)?;
            let mut preset =
                json!({"index": 1, "country": issuing_country(&passport.mrz), "type": "PASSPORT"});
            if let Some(checks) = checks {
                preset["additionalChecks"] = checks;
            }
            let initiated = initiate(
                server,
                json!({
                    "customerInternalReference": "transaction_1234",
                    "userReference": "user_1234",
                    "callbackUrl": callback_url,
                    "workflowId": 102,
                    "presets": [preset],
                }),
            )
            .await?;
            let reference = text(&initiated, "/transactionReference")?.to_owned();
            let token = authorization_token(text(&initiated, "/redirectUrl")?)?;
            let session = ok_json(
                server
                    .bearer(&token, Method::GET, "/api/v1/web/session")
                    .send()
                    .await?,
            )
            .await?;
            let id = session["credentials"]
                .as_array()
                .and_then(|credentials| credentials.iter().find(|c| c["category"] == "ID"))
                .context("ID credential")?;
            ok_json(
                server
                    .upload(
                        &token,
                        Method::POST,
                        text(id, "/parts/front")?,
                        encode_jpeg(passport.image),
                        "front.jpg",
                    )
                    .await?,
            )
            .await?;
            server
                .finalize(&token, text(&session, "/finalizeHref")?)
                .await?;
            wait_for_scan(server, &reference, "DONE").await?;
            let data = ok_json(
                server
                    .tenant(
                        Method::GET,
                        &format!("/api/netverify/v2/scans/{reference}/data"),
                    )
                    .send()
                    .await?,
            )
            .await?;
            anyhow::Ok((reference, data))
        }
    };

    // The guide's sample: enableSearch as the string "true".
    let (reference, data) = transaction(
        Some(json!({"watchlistScreening": {"enableSearch": "true"}})),
        400,
    )
    .await?;
    let screening = &data["verification"]["additionalChecks"]["watchlistScreening"];
    assert_eq!(screening["searchStatus"], json!("DONE"), "{data}");
    let results = text(screening, "/searchResults")?;
    assert!(results.parse::<u64>().is_ok_and(|n| n >= 1), "{screening}");
    assert!(screening["searchDate"].is_string() && screening["searchReference"].is_string());
    let link = text(screening, "/searchResultUrl")?;
    assert!(link.starts_with(&server.base), "{link}");
    let report = ok_json(server.tenant(Method::GET, link).send().await?).await?;
    assert_eq!(report["id"], screening["searchId"]);
    assert!(
        report["matches"].to_string().contains("LYi.023"),
        "{report}"
    );
    let verification = ok_json(
        server
            .tenant(
                Method::GET,
                &format!("/api/netverify/v2/scans/{reference}/data/verification"),
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        verification["additionalChecks"],
        data["verification"]["additionalChecks"]
    );

    // The callback carries the same search as a JSON string, searchResults a number.
    receiver.wait_for(1).await?;
    let (_, body) = receiver.all().into_iter().next().context("a callback")?;
    let callback = form(&body)?;
    let checks: Value = serde_json::from_str(
        callback
            .get("additionalChecks")
            .context("additionalChecks in the callback")?,
    )?;
    let called = &checks["watchlistScreening"];
    assert_eq!(called["searchId"], screening["searchId"]);
    assert_eq!(called["searchResultUrl"], screening["searchResultUrl"]);
    assert_eq!(called["searchResults"].to_string(), results);

    // Screening switched off, and not asked for: no search, and nothing said about one.
    for (checks, seed) in [
        (
            Some(json!({"watchlistScreening": {"enabledSearch": false}})),
            410,
        ),
        (None, 420),
    ] {
        let (_, data) = transaction(checks, seed).await?;
        assert!(
            data["verification"].get("additionalChecks").is_none(),
            "{data}"
        );
    }
    server.stop().await
}
