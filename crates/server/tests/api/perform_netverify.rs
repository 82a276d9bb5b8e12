//! `POST /api/netverify/v2/performNetverify`: a whole netverify transaction in one JSON request,
//! through processing to the v2 retrieval, the signed form callback and deletion; and the
//! request's rules, each refusal naming its field.

use std::collections::HashMap;

use anyhow::{Context, Result};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_server::admin;
use verifyd_testkit::*;

const PATH: &str = "/api/netverify/v2/performNetverify";

async fn perform(server: &TestServer, body: &Value) -> Result<reqwest::Response> {
    Ok(server.tenant(Method::POST, PATH).json(body).send().await?)
}

async fn scan(server: &TestServer, path: &str) -> Result<Value> {
    ok_json(server.tenant(Method::GET, path).send().await?).await
}

/// The form callbacks received, each with its signature verified by the tenant's secret.
async fn signed_forms(
    server: &TestServer,
    receiver: &Receiver,
) -> Result<Vec<HashMap<String, String>>> {
    let secret = admin::tenant_callback(&server.settings, "acme", None)
        .await?
        .callback_secret;
    let mut forms = Vec::new();
    for (headers, callback) in receiver.all() {
        let signature = headers
            .get("x-verifyd-signature")
            .context("signature header")?
            .to_str()?;
        assert!(signature_verifies(&secret, signature, &callback));
        forms.push(
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&callback)?
                .into_iter()
                .collect(),
        );
    }
    Ok(forms)
}

#[tokio::test]
async fn a_performed_transaction_runs_to_its_callback_and_deletion() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let passport = passport_bearing("obama2.jpg")?;
    let country = passport.mrz.get(2..5).context("issuing state")?.to_owned();
    let body = json!({
        "merchantIdScanReference": "scan_1234",
        "customerId": "customer_1234",
        "merchantReportingCriteria": "report_1",
        "frontsideImage": STANDARD.encode(encode_jpeg(passport.image.clone())),
        "faceImage": STANDARD.encode(encode_jpeg(person("obama3.jpg")?)),
        "faceImageMimeType": "image/jpeg",
        "country": country,
        "idType": "PASSPORT",
        "callbackUrl": receiver.url,
        "callbackGranularity": "onFinish",
        "userConsent": consent(),
    });
    let answer = ok_json(perform(&server, &body).await?).await?;
    assert_eq!(answer["timestamp"], json!("2026-11-22T09:00:00.000Z"));
    let reference = text(&answer, "/jumioIdScanReference")?.to_owned();
    assert_eq!(reference.len(), 36);

    wait_for_scan(&server, &reference, "DONE").await?;
    let data = scan(
        &server,
        &format!("/api/netverify/v2/scans/{reference}/data"),
    )
    .await?;
    assert_eq!(data["transaction"]["status"], json!("DONE"), "{data}");
    assert_eq!(data["transaction"]["source"], json!("API"));
    assert_eq!(data["transaction"]["customerId"], json!("customer_1234"));
    assert_eq!(
        data["transaction"]["merchantScanReference"],
        json!("scan_1234")
    );
    let document = &data["document"];
    assert_eq!(
        document["number"],
        json!(passport.document_number),
        "{data}"
    );
    assert_eq!(document["lastName"], json!(passport.surname));
    assert_eq!(document["issuingCountry"], json!(country));
    assert_eq!(
        data["verification"]["identityVerification"]["similarity"],
        json!("MATCH"),
        "{data}"
    );
    let images = scan(
        &server,
        &format!("/api/netverify/v2/scans/{reference}/images"),
    )
    .await?;
    let mut names: Vec<&str> = images["images"]
        .as_array()
        .context("images")?
        .iter()
        .filter_map(|image| image["classifier"].as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["face", "front"]);

    receiver.wait_for(1).await?;
    let form = signed_forms(&server, &receiver)
        .await?
        .into_iter()
        .next()
        .context("a callback")?;
    let field = |name: &str| form.get(name).map(String::as_str);
    assert_eq!(field("callBackType"), Some("NETVERIFYID"));
    assert_eq!(field("jumioIdScanReference"), Some(reference.as_str()));
    assert_eq!(field("idScanSource"), Some("API"));
    assert_eq!(field("merchantIdScanReference"), Some("scan_1234"));
    assert_eq!(field("customerId"), Some("customer_1234"));
    assert_eq!(
        field("verificationStatus"),
        document["status"].as_str(),
        "{form:?}"
    );

    let deleted = server
        .tenant(
            Method::DELETE,
            &format!("/api/netverify/v2/scans/{reference}"),
        )
        .send()
        .await?;
    assert!(deleted.status().is_success(), "{}", deleted.status());
    let gone = server
        .tenant(Method::GET, &format!("/api/netverify/v2/scans/{reference}"))
        .send()
        .await?;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    server.stop().await
}

/// The customer's `number` is compared with the document's number: a passport given with
/// another number is denied as fraud, given with its own (typed in lower case, with a space)
/// it is approved.
#[tokio::test]
async fn performnetverify_compares_the_customers_document_number_with_the_document() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    // One passport, two transactions: the first given another number, then its own (a
    // document is refused on a second account only once it was verified on the first).
    let passport = passport_bearing("obama2.jpg")?;
    let country = passport.mrz.get(2..5).context("issuing state")?;
    for agrees in [false, true] {
        let number = &passport.document_number;
        let given = if agrees {
            format!("{} {}", &number[..3], &number[3..]).to_lowercase()
        } else {
            format!("{}X", &number[..number.len() - 1])
        };
        let body = json!({
            "merchantIdScanReference": "scan_1234",
            "customerId": "customer_1234",
            "frontsideImage": STANDARD.encode(encode_jpeg(passport.image.clone())),
            "country": country,
            "idType": "PASSPORT",
            "number": given,
        });
        let answer = ok_json(perform(&server, &body).await?).await?;
        let reference = text(&answer, "/jumioIdScanReference")?.to_owned();
        wait_for_scan(&server, &reference, "DONE").await?;
        let data = scan(
            &server,
            &format!("/api/netverify/v2/scans/{reference}/data"),
        )
        .await?;
        assert_eq!(data["document"]["number"], json!(number), "{data}");
        if agrees {
            assert_eq!(
                data["document"]["status"],
                json!("APPROVED_VERIFIED"),
                "{data}"
            );
        } else {
            assert_eq!(data["document"]["status"], json!("DENIED_FRAUD"), "{data}");
            assert_eq!(
                data["verification"]["rejectReason"]["rejectReasonCode"],
                json!("115"),
                "{data}"
            );
        }
    }
    server.stop().await
}

#[tokio::test]
async fn performnetverify_refuses_each_broken_rule_naming_the_field() -> Result<()> {
    // Every request counts as an initiation: the rate limit is not under test here.
    let server = TestServer::start_with(|settings| {
        settings.limits.initiations_per_second = 0;
        settings.limits.initiations_per_minute = 0;
    })
    .await?;
    let photo = STANDARD.encode(encode_jpeg(person("obama.jpg")?));
    let small = STANDARD.encode(encode_jpeg(image::RgbImage::new(200, 150)));
    let valid = json!({
        "merchantIdScanReference": "scan_1",
        "customerId": "customer_1",
        "frontsideImage": photo,
        "country": "AUT",
        "idType": "PASSPORT",
    });
    for (change, code, field) in [
        (
            json!({"merchantIdScanReference": null}),
            "INVALID_FIELD",
            "merchantIdScanReference",
        ),
        (
            json!({"customerId": "c".repeat(101)}),
            "INVALID_FIELD",
            "customerId",
        ),
        (
            json!({"frontsideImage": "this is not base64!"}),
            "INVALID_FIELD",
            "frontsideImage",
        ),
        (
            json!({"frontsideImage": STANDARD.encode(b"plain text, not a picture")}),
            "UNSUPPORTED_FILE_TYPE",
            "frontsideImage",
        ),
        (
            json!({"backsideImage": small}),
            "IMAGE_TOO_SMALL",
            "backsideImage",
        ),
        (
            json!({"frontsideImageMimeType": "image/png"}),
            "INVALID_FIELD",
            "frontsideImageMimeType",
        ),
        (
            json!({"personalNumber": "123456789012345"}),
            "INVALID_FIELD",
            "personalNumber",
        ),
    ] {
        let mut body = valid.clone();
        for (name, value) in change.as_object().context("change")? {
            body[name] = value.clone();
        }
        let response = perform(&server, &body).await?;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{change}");
        let error: Value = response.json().await?;
        assert_eq!(error["code"], json!(code), "{error}");
        assert!(
            text(&error, "/message")?.starts_with(&format!("{field}: ")),
            "{error}"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn performnetverify_screens_the_holder_when_its_additional_checks_ask() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    server.import_watchlist(&["un/UN_consolidated.xml"]).await?;
    // UN LYi.023, born 7 May 1988.
    let holder = Holder {
        surname: "AL FITOURI".to_owned(),
        given_names: "AHMAD OUMAR IMHAMAD".to_owned(),
        birth_date: MrzDate::new(1988, 5, 7).context("a date")?,
    };
    let passport = passport_for("obama2.jpg", &holder, 500)?;
    let state = passport.mrz.get(2..5).context("issuing state")?;
    let country = match state.trim_end_matches('<') {
        "D" => "DEU",
        other => other,
    };
    // The screening guide's API sample.
    let body = json!({
        "merchantIdScanReference": "YOURSCANREFERENCE",
        "customerId": "customer_1234",
        "country": country,
        "idType": "PASSPORT",
        "frontsideImage": STANDARD.encode(encode_jpeg(passport.image)),
        "additionalChecks": {"watchlistScreening": {"enableSearch": "true"}},
    });
    let answer = ok_json(perform(&server, &body).await?).await?;
    let reference = text(&answer, "/jumioIdScanReference")?.to_owned();
    wait_for_scan(&server, &reference, "DONE").await?;
    let data = scan(
        &server,
        &format!("/api/netverify/v2/scans/{reference}/data"),
    )
    .await?;
    let screening = &data["verification"]["additionalChecks"]["watchlistScreening"];
    assert_eq!(screening["searchStatus"], json!("DONE"), "{data}");
    assert!(
        text(screening, "/searchResults")?
            .parse::<u64>()
            .is_ok_and(|n| n >= 1),
        "{screening}"
    );
    let report = scan(&server, text(screening, "/searchResultUrl")?).await?;
    assert!(
        report["matches"].to_string().contains("LYi.023"),
        "{report}"
    );
    server.stop().await
}

/// `enabledFields` limits what is processed: the fields left out are neither reported nor
/// compared with the customer's data, and without `idFaceMatch` the face image is not matched.
/// `onAllSteps` adds a callback when the images are received, before the result's.
#[tokio::test]
async fn enabled_fields_limit_what_is_processed_and_on_all_steps_reports_the_images_received(
) -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let receiver = Receiver::start(Vec::new()).await?;
    let passport = passport_bearing("obama2.jpg")?;
    let country = passport.mrz.get(2..5).context("issuing state")?.to_owned();
    let body = json!({
        "merchantIdScanReference": "scan_1234",
        "customerId": "customer_1234",
        "frontsideImage": STANDARD.encode(encode_jpeg(passport.image.clone())),
        "faceImage": STANDARD.encode(encode_jpeg(person("obama3.jpg")?)),
        "country": country,
        "idType": "PASSPORT",
        "enabledFields": "idNumber, idLastName",
        // Not enabled, so not compared: this first name would otherwise be a mismatch.
        "firstName": "SOMEONE",
        "lastName": passport.surname,
        "callbackUrl": receiver.url,
        "callbackGranularity": "onAllSteps",
    });
    let answer = ok_json(perform(&server, &body).await?).await?;
    let reference = text(&answer, "/jumioIdScanReference")?.to_owned();
    wait_for_scan(&server, &reference, "DONE").await?;
    let data = scan(
        &server,
        &format!("/api/netverify/v2/scans/{reference}/data"),
    )
    .await?;
    let document = &data["document"];
    assert_eq!(document["status"], json!("APPROVED_VERIFIED"), "{data}");
    assert_eq!(document["number"], json!(passport.document_number));
    assert_eq!(document["lastName"], json!(passport.surname));
    assert_eq!(document["issuingCountry"], json!(country));
    for left_out in ["firstName", "dob", "expiry", "personalNumber"] {
        assert!(document.get(left_out).is_none(), "{left_out}: {data}");
    }
    assert!(
        data["verification"].get("identityVerification").is_none(),
        "no face match without idFaceMatch: {data}"
    );

    receiver.wait_for(2).await?;
    let (received, result): (Vec<_>, Vec<_>) = signed_forms(&server, &receiver)
        .await?
        .into_iter()
        .partition(|form| !form.contains_key("verificationStatus"));
    let received = received.first().context("the images-received callback")?;
    let result = result.first().context("the result's callback")?;
    assert_eq!(
        received.get("jumioIdScanReference"),
        Some(&reference),
        "{received:?}"
    );
    assert_eq!(
        received.get("idScanSource").map(String::as_str),
        Some("API")
    );
    let front = received.get("idScanImage").context("the front's link")?;
    assert!(
        front.ends_with(&format!("/scans/{reference}/images/front")),
        "{front}"
    );
    assert_eq!(
        result.get("verificationStatus").map(String::as_str),
        Some("APPROVED_VERIFIED")
    );
    assert_eq!(result.get("idNumber"), Some(&passport.document_number));
    assert!(!result.contains_key("idFirstName"), "{result:?}");
    assert!(!result.contains_key("idDob"), "{result:?}");
    server.stop().await
}
