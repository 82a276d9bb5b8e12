//! Whole journeys through the web client, and how it ends: events, redirects, errors, locales.

use anyhow::{Context, Result};
use image::imageops::FilterType;
use reqwest::Method;
use serde_json::{json, Value};
use verifyd_engine::faces::largest_face;
use verifyd_engine::faces::synthetic::turn_head;
use verifyd_testkit::*;

use super::video::{on_table, write_y4m};
use super::{assert_clean, drive, param, query, scratch, shots_dir, steps};

/// `wanted` appear in `report`'s steps in this order (others may come between).
fn assert_path(report: &Value, wanted: &[&str]) {
    let seen = steps(report);
    let mut rest = seen.iter();
    for step in wanted {
        assert!(
            rest.any(|s| s == step),
            "expected {wanted:?} in order, saw {seen:?}: {report}"
        );
    }
}

/// The journey ended on the error page with `code`.
fn assert_ends_with_error(report: &Value, code: &str) {
    let last = report["screens"].as_array().and_then(|s| s.last());
    assert_eq!(
        last.map(|l| (l["step"].as_str(), l["code"].as_str())),
        Some((Some("error"), Some(code))),
        "{report}"
    );
}

/// A passport with the face of `name` on it, and its issuing country.
fn passport_of(name: &str) -> Result<(image::RgbImage, String)> {
    let passport = passport_bearing(name)?;
    let country = passport.mrz.get(2..5).context("MRZ")?.replace('<', "");
    Ok((passport.image, country))
}

fn save_jpeg(image: image::RgbImage, name: &str) -> Result<String> {
    let path = scratch(name)?;
    std::fs::write(&path, encode_jpeg(image))?;
    Ok(path.display().to_string())
}

fn with_workers(settings: &mut verifyd_server::Settings) {
    settings.processing.workers = 1;
}

#[tokio::test]
async fn the_camera_journey_captures_the_passport_and_performs_the_liveness_challenge() -> Result<()>
{
    let server = TestServer::start_with(with_workers).await?;
    let (passport, country) = passport_of("obama.jpg")?;
    let account = server
        .create_account(json!({"customerInternalReference": "web-camera", "workflowDefinition": {"key": 3}, "userConsent": consent()}))
        .await?;
    let href = text(&account, "/web/href")?.to_owned();

    // The first device shows the passport: consent, choice, automatic capture, review.
    let document_video = scratch("passport.y4m")?;
    write_y4m(
        &document_video,
        &[(&on_table(&passport, 1280, 720, 0.92), 8.0)],
    )?;
    let report = drive(json!({
        "href": href, "video": document_video, "choose": {"country": country, "idType": "PASSPORT"},
        "stopAt": "liveness-intro", "shots": shots_dir(), "prefix": "camera"
    }))
    .await?;
    assert_clean(&report);
    assert_path(
        &report,
        &["consent", "choose", "camera", "review", "liveness-intro"],
    );

    // The challenge the client will be given (asking again gives the same turns), performed by
    // the face of the passport's holder in the second device's video.
    let token = authorization_token(&href)?;
    let execution = server.url(&format!(
        "/api/v1/accounts/{}/workflow-executions/{}",
        text(&account, "/account/id")?,
        text(&account, "/workflowExecution/id")?
    ));
    let facemap = text(credential(&account, "FACEMAP")?, "/id")?;
    let challenge = ok_json(
        server
            .bearer(
                &token,
                Method::POST,
                &format!("{execution}/credentials/{facemap}/liveness-challenge"),
            )
            .send()
            .await?,
    )
    .await?;
    let person = person("obama.jpg")?;
    let faces = face_engine()?.detect(&person)?;
    let face = largest_face(&faces).context("face")?.clone();
    // Framed as a selfie camera sees a face: head and shoulders, 4:3.
    let [x, y, w, h] = face.bounds;
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let side = (w * 2.6)
        .min(person.width() as f32)
        .min(person.height() as f32 * 4.0 / 3.0);
    let (cw, ch) = (side, side * 0.75);
    let left = (cx - cw / 2.0).clamp(0.0, person.width() as f32 - cw) as u32;
    let top = (cy - ch / 2.0).clamp(0.0, person.height() as f32 - ch) as u32;
    let selfie = |image: &image::RgbImage| {
        let crop = image::imageops::crop_imm(image, left, top, cw as u32, ch as u32).to_image();
        on_table(&crop, 640, 480, 1.0)
    };
    let frontal = selfie(&person);
    let mut turned = Vec::new();
    for turn in challenge["turns"].as_array().context("turns")? {
        let strength = if turn == "TURN_LEFT" { 1.6 } else { -1.6 };
        turned.push(selfie(&turn_head(&person, &face, strength)));
    }
    // Each pose held 4 s: the client takes a frame once a move has held still for 0.5 s.
    let mut segments = vec![(&frontal, 4.0)];
    for frame in &turned {
        segments.push((frame, 4.0));
        segments.push((&frontal, 4.0));
    }
    segments.push((&frontal, 6.0));
    let face_video = scratch("face.y4m")?;
    write_y4m(&face_video, &segments)?;
    let report = drive(json!({
        "href": href, "video": face_video, "shots": shots_dir(), "prefix": "camera-face"
    }))
    .await?;
    assert_clean(&report);
    assert_path(&report, &["liveness-intro", "liveness", "success"]);

    // What the camera captured, processed by the real engines.
    wait_for_status(&server, &format!("{execution}/status"), "PROCESSED").await?;
    let details = ok_json(server.tenant(Method::GET, &execution).send().await?).await?;
    let first = |name: &str| details["capabilities"][name][0].clone();
    assert_eq!(
        decision_of(&first("usability")),
        pair("PASSED", "OK"),
        "{details}"
    );
    if decision_of(&first("liveness")) != pair("PASSED", "OK") {
        // What the camera gave the engine, for the failure message.
        let mut seen = Vec::new();
        for n in 1..=7 {
            let href = server.url(&format!(
                "/api/v1/accounts/{}/credentials/{facemap}/parts/LIVENESS_{n}",
                text(&account, "/account/id")?
            ));
            let bytes = server
                .tenant(Method::GET, &href)
                .send()
                .await?
                .bytes()
                .await?;
            let frame = image::load_from_memory(&bytes)?.to_rgb8();
            let faces = face_engine()?.detect(&frame)?;
            seen.push(
                faces
                    .iter()
                    .map(verifyd_engine::faces::yaw)
                    .collect::<Vec<_>>(),
            );
        }
        anyhow::bail!("liveness not passed; yaw per frame {seen:?}; turns {challenge}; {details}");
    }
    assert_eq!(
        decision_of(&first("similarity")),
        pair("PASSED", "MATCH"),
        "{details}"
    );
    assert_eq!(
        first("extraction")["data"]["issuingCountry"],
        json!(country),
        "{details}"
    );
    server.stop().await
}

#[tokio::test]
async fn the_upload_journey_of_a_v4_transaction_by_keyboard_redirects_to_the_success_url(
) -> Result<()> {
    let server = TestServer::start_with(with_workers).await?;
    let (passport, country) = passport_of("obama2.jpg")?;
    let selfie = person("obama.jpg")?;
    let initiated = ok_json(
        server
            .tenant(Method::POST, "/api/v4/initiate")
            .json(&json!({
                "customerInternalReference": "order-77", "userReference": "u-77", "workflowId": 202,
                "successUrl": "https://shop.example/done?from=verify", "locale": "de"
            }))
            .send()
            .await?,
    )
    .await?;
    let href = text(&initiated, "/redirectUrl")?;
    let reference = text(&initiated, "/transactionReference")?;
    let report = drive(json!({
        "href": href,
        "choose": {"country": country, "idType": "PASSPORT"},
        "files": {"front": save_jpeg(passport, "upload-front.jpg")?, "selfie": save_jpeg(selfie, "upload-selfie.jpg")?},
        "routes": ["https://shop.example/"], "shots": shots_dir(), "prefix": "upload",
        "keyboard": true
    }))
    .await?;
    assert_clean(&report);
    assert_path(
        &report,
        &["consent", "choose", "file", "review", "file", "review"],
    );
    assert!(report["screens"]
        .as_array()
        .context("screens")?
        .iter()
        .all(|s| s["lang"] == "de"));
    let end = text(&report, "/finalUrl")?;
    assert!(end.starts_with("https://shop.example/done?"), "{end}");
    let pairs = query(end)?;
    assert_eq!(param(&pairs, "from"), Some("verify"));
    assert_eq!(param(&pairs, "transactionStatus"), Some("SUCCESS"));
    assert_eq!(param(&pairs, "customerInternalReference"), Some("order-77"));
    assert_eq!(param(&pairs, "transactionReference"), Some(reference));
    assert_eq!(param(&pairs, "errorCode"), None);

    // The transaction went to processing with the uploaded pictures.
    let scan = server.url(&format!("/api/netverify/v2/scans/{reference}"));
    for _ in 0..600 {
        let status = ok_json(server.tenant(Method::GET, &scan).send().await?).await?;
        if status["status"] == "DONE" {
            let images = ok_json(
                server
                    .tenant(Method::GET, &format!("{scan}/images"))
                    .send()
                    .await?,
            )
            .await?;
            let classifiers: Vec<_> = images["images"]
                .as_array()
                .context("images")?
                .iter()
                .filter_map(|i| i["classifier"].as_str())
                .collect();
            assert!(
                classifiers.contains(&"front") && classifiers.contains(&"face"),
                "{images}"
            );
            return server.stop().await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("the transaction was not processed")
}

#[tokio::test]
async fn in_an_iframe_the_parent_receives_the_events_and_without_a_camera_the_user_uploads(
) -> Result<()> {
    let server = TestServer::start().await?;
    let (passport, country) = passport_of("obama3.jpg")?;
    let account = server
        .create_account(json!({"customerInternalReference": "frame-1", "workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "type": {"predefinedType": "DEFINED", "values": ["PASSPORT"]}, "country": {"predefinedType": "DEFINED", "values": [country]}}]}}))
        .await?;
    let href = text(&account, "/web/href")?;
    let report = drive(json!({
        "href": href, "iframe": true,
        "files": {"front": save_jpeg(passport, "frame-front.jpg")?},
        "shots": shots_dir(), "prefix": "iframe"
    }))
    .await?;
    assert_clean(&report);
    // Country and type are DEFINED: no choice screen. No camera here: the upload screen.
    assert_path(&report, &["file", "review", "success"]);
    assert!(!steps(&report).contains(&"choose".to_owned()));
    let events = report["events"].as_array().context("events")?;
    let values: Vec<_> = events
        .iter()
        .map(|e| e["payload"]["value"].clone())
        .collect();
    assert_eq!(values, [json!("loaded"), json!("success")], "{report}");
    for event in events {
        assert_eq!(event["eventType"], 510);
        assert_eq!(event["accountId"], account["account"]["id"]);
        assert_eq!(
            event["workflowExecutionId"],
            account["workflowExecution"]["id"]
        );
        assert_eq!(event["customerInternalReference"], "frame-1");
        assert!(event["authorizationToken"]
            .as_str()
            .is_some_and(|t| href.contains(t)));
        assert!(event["dateTime"].as_str().is_some_and(|t| t.ends_with('Z')));
    }
    let status = ok_json(
        server
            .tenant(
                Method::GET,
                &server.url(&format!(
                    "/api/v1/accounts/{}/workflow-executions/{}/status",
                    text(&account, "/account/id")?,
                    text(&account, "/workflowExecution/id")?
                )),
            )
            .send()
            .await?,
    )
    .await?;
    assert_eq!(
        status["workflowExecution"]["status"], "ACQUIRED",
        "{status}"
    );
    server.stop().await
}

#[tokio::test]
async fn three_unusable_photos_end_at_the_error_url_with_9835() -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "blurry", "workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "type": {"predefinedType": "DEFINED", "values": ["PASSPORT"]}, "country": {"predefinedType": "DEFINED", "values": ["DEU"]}}]},
            "web": {"errorUrl": "https://shop.example/failed"}}))
        .await?;
    let href = text(&account, "/web/href")?;
    let (passport, _) = passport_of("obama.jpg")?;
    let blurred = image::imageops::blur(&passport, 6.0);
    let tiny = image::imageops::resize(&passport, 300, 210, FilterType::Triangle);
    let files = vec![
        save_jpeg(blurred, "blurred.jpg")?,
        save_jpeg(tiny, "tiny.jpg")?,
        save_jpeg(
            image::RgbImage::from_pixel(1200, 800, image::Rgb([12, 12, 12])),
            "dark.jpg",
        )?,
    ];
    let report = drive(json!({
        "href": href, "files": {"front": files}, "routes": ["https://shop.example/"],
        "shots": shots_dir(), "prefix": "retakes"
    }))
    .await?;
    assert_clean(&report);
    let uploads = steps(&report).iter().filter(|s| *s == "file").count();
    assert_eq!(uploads, 3, "{report}");
    assert!(!steps(&report).contains(&"review".to_owned()), "{report}");
    let end = text(&report, "/finalUrl")?;
    assert!(end.starts_with("https://shop.example/failed?"), "{end}");
    let pairs = query(end)?;
    assert_eq!(param(&pairs, "acquisitionStatus"), Some("ERROR"));
    assert_eq!(param(&pairs, "errorCode"), Some("9835"));
    assert_eq!(
        param(&pairs, "accountId"),
        account["account"]["id"].as_str()
    );
    assert_eq!(
        param(&pairs, "workflowExecutionId"),
        account["workflowExecution"]["id"].as_str()
    );
    assert_eq!(param(&pairs, "customerInternalReference"), Some("blurry"));
    server.stop().await
}

fn save_png(image: &image::RgbImage, name: &str) -> Result<String> {
    let path = scratch(name)?;
    image.save_with_format(&path, image::ImageFormat::Png)?;
    Ok(path.display().to_string())
}

/// The browser judges the document, not the frame, as the server does: a real passport scan on
/// a scanner's white bed (which, measured over the frame, is mostly clipped white) is taken,
/// and a black-and-white copy, which the server would refuse even though it reads, is refused
/// at once with its reason.
#[tokio::test]
async fn a_real_scan_on_a_white_bed_is_taken_and_a_black_and_white_copy_is_refused_with_its_reason(
) -> Result<()> {
    let folder = verifyd_testkit::real_documents::folder()?;
    let scan = image::open(folder.join("images/jpn_pass_td3_scan.png"))?.to_rgb8();
    let page = on_white(&scan, 250);
    let grey = image::DynamicImage::ImageLuma8(image::imageops::grayscale(&page)).to_rgb8();
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "scan", "workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "type": {"predefinedType": "DEFINED", "values": ["PASSPORT"]}, "country": {"predefinedType": "DEFINED", "values": ["JPN"]}}]}}))
        .await?;
    let report = drive(json!({
        "href": text(&account, "/web/href")?,
        "files": {"front": [save_png(&grey, "grey-scan.png")?, save_png(&page, "white-bed-scan.png")?]},
        "stopAt": "review", "shots": shots_dir(), "prefix": "white-bed"
    }))
    .await?;
    assert_clean(&report);
    assert_path(&report, &["file", "file", "review"]);
    let english: Value = serde_json::from_slice(&std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/locales/en.json"),
    )?)?;
    let refused = english["quality.blackWhite"].as_str().context("string")?;
    let screens = report["screens"].as_array().context("screens")?;
    let files: Vec<&Value> = screens.iter().filter(|s| s["step"] == "file").collect();
    assert_eq!(files.len(), 2, "{report}");
    assert!(
        files[1]["notices"].as_array().is_some_and(|n| n
            .iter()
            .any(|n| n.as_str().is_some_and(|n| n.starts_with(refused)))),
        "{report}"
    );
    server.stop().await
}

#[tokio::test]
async fn expired_or_missing_tokens_end_with_9200_going_offline_with_9800_camera_only_without_a_camera_with_9820(
) -> Result<()> {
    let server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "late", "workflowDefinition": {"key": 2}, "tokenLifetime": "5m"}))
        .await?;
    let href = text(&account, "/web/href")?.to_owned();
    server.advance(chrono::Duration::minutes(6));
    // In a native webview, the events go to its handler.
    let report =
        drive(json!({"href": href, "webview": true, "shots": shots_dir(), "prefix": "expired"}))
            .await?;
    assert_clean(&report);
    assert_eq!(report["screens"][0]["step"], "error", "{report}");
    assert_eq!(report["screens"][0]["code"], "9200", "{report}");
    let values: Vec<_> = report["events"]
        .as_array()
        .context("events")?
        .iter()
        .map(|e| {
            (
                e["payload"]["value"].clone(),
                e["payload"]["metainfo"]["code"].clone(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            (json!("loaded"), Value::Null),
            (json!("error"), json!(9200))
        ],
        "{report}"
    );

    // The network goes away while the user is choosing a photo.
    let account = server
        .create_account(json!({"customerInternalReference": "offline", "workflowDefinition": {"key": 2, "credentials": [{"category": "ID", "type": {"predefinedType": "DEFINED", "values": ["PASSPORT"]}, "country": {"predefinedType": "DEFINED", "values": ["DEU"]}}]}}))
        .await?;
    let report = drive(json!({"href": text(&account, "/web/href")?, "offlineAt": "file", "webview": true, "shots": shots_dir(), "prefix": "offline"})).await?;
    assert_clean(&report);
    assert_ends_with_error(&report, "9800");
    assert_eq!(
        report["events"][1]["payload"]["metainfo"]["code"], 9800,
        "{report}"
    );

    let bare = href.split('?').next().context("href")?;
    let report = drive(json!({"href": bare, "shots": shots_dir(), "prefix": "no-token"})).await?;
    assert_clean(&report);
    assert_eq!(report["screens"][0]["code"], "9200", "{report}");

    let initiated = ok_json(
        server
            .tenant(Method::POST, "/api/v4/initiate")
            .json(&json!({"customerInternalReference": "cam", "userReference": "u", "workflowId": 101}))
            .send()
            .await?,
    )
    .await?;
    let report = drive(json!({"href": text(&initiated, "/redirectUrl")?, "choose": {"country": "DEU", "idType": "PASSPORT"}, "shots": shots_dir(), "prefix": "camera-only"})).await?;
    assert_clean(&report);
    assert_ends_with_error(&report, "9820");
    server.stop().await
}

#[tokio::test]
async fn the_client_speaks_the_locale_of_the_url_or_the_account_right_to_left_for_arabic(
) -> Result<()> {
    let server = TestServer::start().await?;
    let strings = |locale: &str| -> Result<Value> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("web/locales/{locale}.json"));
        Ok(serde_json::from_slice(&std::fs::read(path)?)?)
    };
    for (locale, from_url, dir, viewport) in [
        ("ar", true, "rtl", json!({"width": 480, "height": 535})),
        ("ja", false, "ltr", json!({"width": 640, "height": 660})),
        ("de", true, "ltr", json!({"width": 560, "height": 600})),
    ] {
        let web = if from_url {
            json!({})
        } else {
            json!({"locale": locale})
        };
        let account = server
            .create_account(json!({"customerInternalReference": "lang", "workflowDefinition": {"key": 3}, "userConsent": consent(), "web": web}))
            .await?;
        let mut href = text(&account, "/web/href")?.to_owned();
        if from_url {
            href.push_str(&format!("&locale={locale}"));
        }
        let report = drive(json!({"href": href, "stopAt": "consent", "viewport": viewport, "shots": shots_dir(), "prefix": format!("locale-{locale}")})).await?;
        assert_clean(&report);
        let screen = &report["screens"][0];
        assert_eq!(screen["step"], "consent", "{report}");
        assert_eq!(screen["lang"], locale);
        assert_eq!(screen["dir"], dir);
        assert_eq!(
            screen["title"],
            strings(locale)?["consent.title"],
            "{report}"
        );
        assert_ne!(screen["title"], strings("en")?["consent.title"]);
    }
    server.stop().await
}
