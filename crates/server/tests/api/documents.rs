//! The document engine through the whole server: documents the tests render themselves (OCR-B
//! MRZ on a card or page, photographed on a table), uploaded, finalized and processed by a real
//! worker with the real OCR models, then read back through the retrieval API.

use anyhow::{Context, Result};
use reqwest::Method;
use serde_json::{json, Value};
use verifyd_engine::documents::mrz::{Mrz, MrzDate, MrzFormat};
use verifyd_engine::documents::synthetic::{
    degrade, licence_back, licence_front, render, render_altered, Degradation, LicenceHolder, OcrB,
    Specimen,
};
use verifyd_testkit::*;

const YEAR: u16 = 2026;

fn date(year: i32, month: u32, day: u32) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(year, month, day).context("date")
}

fn day(date: Option<MrzDate>) -> Option<(u16, u8, u8)> {
    date.map(|d| (d.year, d.month, d.day))
}

/// Issued by a real state to a named adult, valid today.
fn valid(read: &Mrz) -> bool {
    ["FRA", "NLD", "GBR", "D"].contains(&read.issuing_state.as_str())
        && !read.given_names.is_empty()
        && day(read.birth_date).is_some_and(|birth| birth.0 <= 2000)
        && day(read.expiry_date).is_some_and(|expiry| expiry.0 >= 2028)
}

fn jpeg(specimen: &Specimen) -> Vec<u8> {
    encode_jpeg(specimen.image.clone())
}

/// Finalizes a workflow 2 execution with these parts and returns its details once processed.
async fn processed(server: &TestServer, parts: &[(&str, Vec<u8>)]) -> Result<Value> {
    processed_with(server, None, parts).await
}

/// As [`processed`], with the tenant's PREPARED_DATA for the ID.
async fn processed_with(
    server: &TestServer,
    prepared: Option<&Value>,
    parts: &[(&str, Vec<u8>)],
) -> Result<Value> {
    let account = server
        .create_account(
            json!({"customerInternalReference": "doc", "workflowDefinition": {"key": 2}}),
        )
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    if let Some(prepared) = prepared {
        let href = text(id, "/api/parts/front")?.replace("FRONT", "PREPARED_DATA");
        ok_json(
            server
                .bearer(token, Method::POST, &href)
                .json(prepared)
                .send()
                .await?,
        )
        .await?;
    }
    for (part, bytes) in parts {
        ok_json(
            server
                .upload(
                    token,
                    Method::POST,
                    text(id, &format!("/api/parts/{part}"))?,
                    bytes.clone(),
                    "photo.jpg",
                )
                .await?,
        )
        .await?;
    }
    let execution = text(id, "/api/workflowExecution")?;
    server.finalize(token, execution).await?;
    wait_for_status(server, &format!("{execution}/status"), "PROCESSED").await?;
    ok_json(server.tenant(Method::GET, execution).send().await?).await
}

fn decision(details: &Value, capability: &str) -> Result<(String, String)> {
    let entry = details["capabilities"][capability]
        .get(0)
        .with_context(|| format!("no {capability} in {details}"))?;
    Ok(decision_of(entry))
}

/// Asserts that the ID passed all four document capabilities; returns the extracted data.
fn every_document_check_passed(details: &Value) -> Result<&Value> {
    for capability in ["usability", "imageChecks", "extraction", "dataChecks"] {
        assert_eq!(
            decision(details, capability)?,
            pair("PASSED", "OK"),
            "{capability}: {details}"
        );
    }
    Ok(&details["capabilities"]["extraction"][0]["data"])
}

fn iso(date: Option<MrzDate>) -> Option<String> {
    date.map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
}

#[tokio::test]
async fn a_photographed_passport_is_read_and_passes_every_document_check() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let (passport, expected) = rendered(MrzFormat::Td3, |read| {
        valid(read) && read.document_code.starts_with('P')
    })?;
    let details = processed(&server, &[("front", jpeg(&passport))]).await?;
    let data = every_document_check_passed(&details)?;
    assert_eq!(data["type"], json!("PASSPORT"));
    assert_eq!(
        data["issuingCountry"],
        json!(expected.issuing_state_alpha3())
    );
    assert_eq!(data["lastName"], json!(expected.surname));
    assert_eq!(data["firstName"], json!(expected.given_names));
    assert_eq!(data["documentNumber"], json!(expected.document_number));
    assert_eq!(data["dateOfBirth"], json!(iso(expected.birth_date)));
    assert_eq!(data["expiryDate"], json!(iso(expected.expiry_date)));
    assert_eq!(
        details["decision"]["type"],
        json!("PASSED"),
        "every capability of workflow 2 passed: {details}"
    );
    server.stop().await
}

#[tokio::test]
async fn specimens_expired_or_impossible_documents_and_missing_pages_are_rejected() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;

    let (sample, _) = rendered(MrzFormat::Td3, |read| {
        read.issuing_state == "UTO" && read.document_code.starts_with('P')
    })?;
    let details = processed(&server, &[("front", jpeg(&sample))]).await?;
    assert_eq!(
        decision(&details, "imageChecks")?,
        pair("REJECTED", "SAMPLE")
    );
    assert_eq!(
        decision(&details, "extraction")?,
        pair("NOT_EXECUTED", "PRECONDITION_NOT_FULFILLED")
    );
    assert_eq!(details["decision"]["type"], json!("REJECTED"));

    let (expired, _) = rendered(MrzFormat::Td3, |read| {
        ["FRA", "NLD", "GBR", "D"].contains(&read.issuing_state.as_str())
            && day(read.birth_date).is_some_and(|birth| birth.0 <= 2000)
            && day(read.expiry_date).is_some_and(|expiry| (2010..2026).contains(&expiry.0))
    })?;
    let details = processed(&server, &[("front", jpeg(&expired))]).await?;
    assert_eq!(decision(&details, "extraction")?, pair("PASSED", "OK"));
    assert_eq!(
        decision(&details, "dataChecks")?,
        pair("REJECTED", "MISMATCHING_DATAPOINTS")
    );
    assert_eq!(
        details["capabilities"]["dataChecks"][0]["data"],
        json!({"reasons": ["DOCUMENT_EXPIRED"]})
    );

    // A licence issued before its holder was born, front and barcode agreeing.
    let unborn = LicenceHolder {
        first_name: "PRIYA".to_owned(),
        last_name: "KOWALCZYK".to_owned(),
        date_of_birth: date(2023, 1, 9)?,
        issue_date: date(2022, 5, 2)?,
        number: "U7730192".to_owned(),
        ..LicenceHolder::sample()
    };
    let details = processed(
        &server,
        &[
            (
                "front",
                encode_jpeg(licence_front(&OcrB::load()?, &unborn, 15.0)),
            ),
            ("back", encode_jpeg(licence_back(&unborn)?)),
        ],
    )
    .await?;
    assert_eq!(decision(&details, "extraction")?, pair("PASSED", "OK"));
    assert_eq!(
        details["capabilities"]["dataChecks"][0]["data"],
        json!({"reasons": ["IMPLAUSIBLE_DATES"]})
    );

    // An ID card has two sides; its MRZ alone is not the whole card.
    let (card, _) = rendered(MrzFormat::Td1, |read| {
        valid(read) && read.issuing_state == "FRA" && read.document_code.starts_with('I')
    })?;
    let details = processed(&server, &[("front", jpeg(&card))]).await?;
    assert_eq!(
        decision(&details, "usability")?,
        pair("REJECTED", "MISSING_PAGE")
    );
    let details = processed(
        &server,
        &[
            ("front", encode_jpeg(document_photo(1280, 810, 7))),
            ("back", jpeg(&card)),
        ],
    )
    .await?;
    assert_eq!(decision(&details, "usability")?, pair("PASSED", "OK"));
    assert_eq!(
        details["capabilities"]["extraction"][0]["data"]["type"],
        json!("ID_CARD")
    );
    server.stop().await
}

#[tokio::test]
async fn forged_edited_and_unaccepted_documents_are_rejected() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let (passport, _) = rendered(MrzFormat::Td3, |read| {
        valid(read) && read.issuing_state == "FRA" && read.document_code.starts_with('P')
    })?;

    // The same photo, passed through an image editor.
    let details = processed(
        &server,
        &[("front", edited_with_photoshop(&jpeg(&passport)))],
    )
    .await?;
    assert_eq!(
        decision(&details, "imageChecks")?,
        pair("REJECTED", "MANIPULATED_DOCUMENT")
    );

    // The same document with a birth date check digit that no correction can explain.
    let font = OcrB::load()?;
    let seed = (1..400)
        .find(|seed| render(&font, MrzFormat::Td3, *seed, YEAR, 10.0).mrz == passport.mrz)
        .context("the passport's seed")?;
    let forged = render_altered(&font, MrzFormat::Td3, seed, YEAR, 10.0, |text| {
        // Line 2, column 20: the birth date's check digit.
        let at = 45 + 19;
        if let Some(digit) = text.as_bytes().get(at).copied() {
            let other = char::from(b'0' + (digit - b'0' + 5) % 10);
            text.replace_range(at..=at, &other.to_string());
        }
    });
    assert_ne!(forged.mrz, passport.mrz);
    let details = processed(&server, &[("front", jpeg(&forged))]).await?;
    assert_eq!(decision(&details, "extraction")?, pair("PASSED", "OK"));
    assert_eq!(
        decision(&details, "dataChecks")?,
        pair("REJECTED", "MRZ_CHECKSUM")
    );

    // The same document with another name in its MRZ (which no check digit covers) than the
    // one printed in its visual zone.
    let renamed = render_altered(&font, MrzFormat::Td3, seed, YEAR, 10.0, |text| {
        let names = text.get(5..44).unwrap_or_default().to_owned();
        *text = text.replacen(&names, &format!("{:<<39}", "MALLORY<<EVE"), 1);
    });
    let details = processed(&server, &[("front", jpeg(&renamed))]).await?;
    assert_eq!(
        decision(&details, "dataChecks")?,
        pair("REJECTED", "MISMATCH_HRZ_MRZ_DATA")
    );
    assert_eq!(
        details["capabilities"]["dataChecks"][0]["data"],
        json!({"reasons": ["LAST_NAME"]}),
        "{details}"
    );

    // The genuine passport, shown on a screen and photographed from it.
    let on_screen = Specimen {
        image: degrade(&passport.image, Degradation::Screen(1.4), 3)?,
        ..passport.clone()
    };
    let details = processed(&server, &[("front", jpeg(&on_screen))]).await?;
    assert_eq!(
        decision(&details, "imageChecks")?,
        pair("REJECTED", "DIGITAL_COPY")
    );

    // The passport photographed sharp enough (20 pixels per mm) to resolve a copier's dots:
    // itself, then a colour copy of it (150 lines per inch, 3.4 pixels apart).
    let sharp = render(&font, MrzFormat::Td3, seed, YEAR, 20.0);
    let details = processed(&server, &[("front", jpeg(&sharp))]).await?;
    assert_eq!(decision(&details, "usability")?, pair("PASSED", "OK"));
    let copied = Specimen {
        image: degrade(&sharp.image, Degradation::ColourCopy(3.4), 4)?,
        ..sharp
    };
    let details = processed(&server, &[("front", jpeg(&copied))]).await?;
    assert_eq!(
        decision(&details, "usability")?,
        pair("REJECTED", "PHOTOCOPY")
    );

    // A tenant that accepts only Dutch documents.
    verifyd_server::admin::set_accepted_id_types(
        &server.settings,
        "acme",
        Some(serde_json::from_value(
            json!([{"countryCode": "NLD", "idTypes": ["PASSPORT"]}]),
        )?),
    )
    .await?;
    let details = processed(&server, &[("front", jpeg(&passport))]).await?;
    assert_eq!(
        decision(&details, "usability")?,
        pair("REJECTED", "UNSUPPORTED_COUNTRY")
    );
    server.stop().await
}

#[tokio::test]
async fn a_us_driving_licence_is_read_from_its_barcode() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let holder = LicenceHolder {
        first_name: "JANICE".to_owned(),
        last_name: "SAMPLEMAN".to_owned(),
        date_of_birth: date(1986, 3, 14)?,
        issue_date: date(2022, 5, 2)?,
        expiry_date: date(2030, 3, 14)?,
        number: "D4012871".to_owned(),
        state: "CA".to_owned(),
        iin: "636014".to_owned(),
        street: "2570 24TH STREET".to_owned(),
        city: "SACRAMENTO".to_owned(),
        postal_code: "95818".to_owned(),
    };
    let font = OcrB::load()?;
    let back = encode_jpeg(licence_back(&holder)?);
    let front = encode_jpeg(licence_front(&font, &holder, 15.0));
    let details = processed(&server, &[("front", front), ("back", back)]).await?;
    let data = every_document_check_passed(&details)?;
    assert_eq!(
        (
            &data["type"],
            &data["subType"],
            &data["issuingCountry"],
            &data["state"]
        ),
        (
            &json!("DRIVING_LICENSE"),
            &json!("REGULAR_DRIVING_LICENSE"),
            &json!("USA"),
            &json!("CA")
        )
    );
    assert_eq!(data["firstName"], json!("JANICE"));
    assert_eq!(data["lastName"], json!("SAMPLEMAN"));
    assert_eq!(data["documentNumber"], json!("D4012871"));
    assert_eq!(data["dateOfBirth"], json!("1986-03-14"));
    assert_eq!(data["expiryDate"], json!("2030-03-14"));
    assert_eq!(data["issuingDate"], json!("2022-05-02"));
    assert_eq!(data["gender"], json!("F"));
    assert_eq!(data["address"]["line1"], json!("2570 24TH STREET"));
    assert_eq!(data["address"]["postalCode"], json!("95818"));
    assert_eq!(data["dlCategories"], json!([{"category": "C"}]));

    // Another licence whose front was reprinted with another name than its barcode holds.
    let genuine = LicenceHolder {
        number: "D4012872".to_owned(),
        ..holder.clone()
    };
    let reprinted = LicenceHolder {
        last_name: "MALLORY".to_owned(),
        ..genuine.clone()
    };
    let details = processed(
        &server,
        &[
            ("front", encode_jpeg(licence_front(&font, &reprinted, 15.0))),
            ("back", encode_jpeg(licence_back(&genuine)?)),
        ],
    )
    .await?;
    assert_eq!(
        decision(&details, "dataChecks")?,
        pair("REJECTED", "MISMATCHING_DATAPOINTS")
    );
    assert_eq!(
        details["capabilities"]["dataChecks"][0]["data"],
        json!({"reasons": ["MISMATCH_PRINTED_BARCODE_DATA"], "fields": ["LAST_NAME"]})
    );
    // The extraction reports the barcode's data, which the issuer wrote.
    assert_eq!(
        details["capabilities"]["extraction"][0]["data"]["lastName"],
        json!("SAMPLEMAN")
    );

    // Without its back, a licence is missing a page.
    let details = processed(&server, &[("front", encode_jpeg(licence_back(&holder)?))]).await?;
    assert_eq!(
        decision(&details, "usability")?,
        pair("REJECTED", "MISSING_PAGE")
    );
    server.stop().await
}

#[tokio::test]
async fn prepared_data_is_compared_with_the_document() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let (passport, read) = rendered(MrzFormat::Td3, |read| {
        valid(read) && read.document_code.starts_with('P')
    })?;
    // Another passport for the second case: once verified, the first one is taken.
    let (other, _) = rendered(MrzFormat::Td3, |other| {
        valid(other)
            && other.document_code.starts_with('P')
            && other.document_number != read.document_number
    })?;
    let birth = iso(read.birth_date).context("birth date")?;
    for (passport, prepared, expected) in [
        (
            &passport,
            json!({"lastName": read.surname.to_lowercase(), "dateOfBirth": birth}),
            json!({}),
        ),
        (
            &other,
            json!({"lastName": "SOMEBODY ELSE", "dateOfBirth": "1901-01-01"}),
            json!({"reasons": ["LAST_NAME", "DATE_OF_BIRTH"]}),
        ),
    ] {
        let details =
            processed_with(&server, Some(&prepared), &[("front", jpeg(passport))]).await?;
        let checks = &details["capabilities"]["dataChecks"][0];
        assert_eq!(checks["data"], expected, "{prepared}: {details}");
        let label = if expected == json!({}) {
            "OK"
        } else {
            "MISMATCHING_DATAPOINTS"
        };
        assert_eq!(checks["decision"]["details"]["label"], json!(label));
    }
    server.stop().await
}

#[tokio::test]
async fn one_document_on_two_accounts_is_rejected_until_the_first_is_deleted() -> Result<()> {
    let server = TestServer::start_with(|settings| settings.processing.workers = 1).await?;
    let (passport, _) = rendered(MrzFormat::Td3, |read| {
        valid(read) && read.document_code.starts_with('P')
    })?;
    let first = processed(&server, &[("front", jpeg(&passport))]).await?;
    every_document_check_passed(&first)?;
    let first_account = text(&first, "/account/id")?.to_owned();

    let second = processed(&server, &[("front", jpeg(&passport))]).await?;
    assert_eq!(
        decision(&second, "imageChecks")?,
        pair("REJECTED", "OTHER_REJECTION")
    );
    assert_eq!(
        second["capabilities"]["imageChecks"][0]["data"],
        json!({"reasons": ["DOCUMENT_VERIFIED_ON_ANOTHER_ACCOUNT"], "accounts": [first_account]})
    );

    // Another tenant never sees the first tenant's documents.
    let other = server.other_tenant("globex").await?;
    let account = ok_json(
        server
            .as_client(&other, Method::POST, "/api/v1/accounts")
            .json(&json!({"customerInternalReference": "doc", "workflowDefinition": {"key": 2}}))
            .send()
            .await?,
    )
    .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    server
        .upload_part(token, id, "front", jpeg(&passport))
        .await?;
    let execution = text(id, "/api/workflowExecution")?;
    server.finalize(token, execution).await?;
    for _ in 0..300 {
        let status = ok_json(
            server
                .as_client(&other, Method::GET, &format!("{execution}/status"))
                .send()
                .await?,
        )
        .await?;
        if status["workflowExecution"]["status"] == "PROCESSED" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let elsewhere = ok_json(
        server
            .as_client(&other, Method::GET, execution)
            .send()
            .await?,
    )
    .await?;
    every_document_check_passed(&elsewhere)?;

    // Deleting the first account forgets its document.
    let deleted = server
        .tenant(Method::DELETE, &format!("/api/v1/accounts/{first_account}"))
        .send()
        .await?;
    assert!(deleted.status().is_success());
    // (The rejected second presentation was never verified, so nothing holds it now.)
    let third = processed(&server, &[("front", jpeg(&passport))]).await?;
    every_document_check_passed(&third)?;
    server.stop().await
}
