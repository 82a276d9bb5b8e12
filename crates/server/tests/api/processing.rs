//! Processing after finalize: the worker runs the workflow's capabilities and records a decision.

use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::Duration;
use reqwest::Method;
use serde_json::{json, Value};
use verifyd_server::background::Loops;
use verifyd_server::serve::{open_domain, spawn_background};
use verifyd_server::Runtime;
use verifyd_testkit::*;

async fn with_workers() -> Result<TestServer> {
    TestServer::start_with(|settings| settings.processing.workers = 1).await
}

/// Creates a workflow 2 execution, uploads `front`, finalizes; returns (account, status href).
async fn finalized_id(server: &TestServer, front: Vec<u8>) -> Result<(Value, String)> {
    let body = json!({"customerInternalReference": "p", "workflowDefinition": {"key": 2}});
    let (account, token, execution) = server.id_with_front(body, front).await?;
    server.finalize(&token, &execution).await?;
    Ok((account, format!("{execution}/status")))
}

fn capability<'a>(details: &'a Value, name: &str) -> Result<&'a Value> {
    details["capabilities"][name]
        .get(0)
        .with_context(|| format!("no {name} in {details}"))
}

#[tokio::test]
async fn a_sharp_photo_of_no_document_is_not_a_document() -> Result<()> {
    let server = with_workers().await?;
    // Shapes and colours that pass every image-quality measure, but no MRZ, barcode or text.
    let (account, status) =
        finalized_id(&server, encode_jpeg(document_photo(1280, 810, 1))).await?;
    wait_for_status(&server, &status, "PROCESSED").await?;
    let details = ok_json(
        server
            .tenant(Method::GET, status.trim_end_matches("/status"))
            .send()
            .await?,
    )
    .await?;
    assert!(details["completedAt"].is_string());
    let usability = capability(&details, "usability")?;
    assert_eq!(decision_of(usability), pair("REJECTED", "NOT_A_DOCUMENT"));
    assert_eq!(
        usability["credentials"],
        json!([{"id": text(credential(&account, "ID")?, "/id")?, "category": "ID"}])
    );
    for later in ["imageChecks", "extraction", "dataChecks"] {
        let entry = capability(&details, later)?;
        assert_eq!(
            decision_of(entry),
            pair("NOT_EXECUTED", "PRECONDITION_NOT_FULFILLED")
        );
        assert_eq!(entry["data"], json!({}));
    }
    assert_eq!(
        details["decision"],
        json!({"type": "REJECTED", "details": {"label": "NOT_A_DOCUMENT"}, "risk": {"score": 90}})
    );
    server.stop().await
}

#[tokio::test]
async fn blurred_and_greyscale_photos_are_rejected_with_the_spec_labels() -> Result<()> {
    let server = with_workers().await?;
    let sharp = document_photo(1280, 810, 2);
    let blurred = image::imageops::blur(&sharp, 6.0);
    let grey =
        image::DynamicImage::ImageLuma8(image::DynamicImage::ImageRgb8(sharp.clone()).to_luma8())
            .to_rgb8();
    let dark = image::RgbImage::from_fn(1280, 810, |x, y| {
        let p = sharp.get_pixel(x, y).0;
        image::Rgb([p[0] / 8, p[1] / 8, p[2] / 8])
    });
    let small = image::imageops::resize(&sharp, 500, 316, image::imageops::FilterType::Triangle);
    for (name, photo, label) in [
        ("blurred", blurred, "BAD_QUALITY"),
        ("greyscale", grey, "BLACK_WHITE"),
        ("dark", dark, "BAD_QUALITY"),
        ("small", small, "BAD_QUALITY"),
    ] {
        let (_, status) = finalized_id(&server, encode_jpeg(photo)).await?;
        wait_for_status(&server, &status, "PROCESSED").await?;
        let details = ok_json(
            server
                .tenant(Method::GET, status.trim_end_matches("/status"))
                .send()
                .await?,
        )
        .await?;
        assert_eq!(
            decision_of(capability(&details, "usability")?),
            pair("REJECTED", label),
            "{name}"
        );
        assert_eq!(
            decision_of(capability(&details, "imageChecks")?),
            pair("NOT_EXECUTED", "PRECONDITION_NOT_FULFILLED"),
            "{name}"
        );
        assert_eq!(details["decision"]["type"], json!("REJECTED"), "{name}");
        assert_eq!(
            details["decision"]["details"]["label"],
            json!(label),
            "{name}"
        );
        let score = details["decision"]["risk"]["score"]
            .as_i64()
            .unwrap_or_default();
        assert!((71..=100).contains(&score), "{name}: {score}");
    }
    server.stop().await
}

#[tokio::test]
async fn a_missing_selfie_is_not_uploaded_and_face_checks_wait_for_it() -> Result<()> {
    let server = with_workers().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "p", "workflowDefinition": {"key": 3}, "userConsent": consent()}))
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?;
    server
        .upload_part(
            token,
            id,
            "front",
            encode_jpeg(document_photo(1280, 810, 3)),
        )
        .await?;
    let execution = text(id, "/api/workflowExecution")?;
    ok_json(server.bearer(token, Method::PUT, execution).send().await?).await?;
    wait_for_status(&server, &format!("{execution}/status"), "PROCESSED").await?;
    let details = ok_json(server.tenant(Method::GET, execution).send().await?).await?;
    let usability = details["capabilities"]["usability"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let selfie = usability
        .iter()
        .find(|entry| entry["credentials"][0]["category"] == "SELFIE")
        .context("selfie usability")?;
    assert_eq!(decision_of(selfie), pair("REJECTED", "NOT_UPLOADED"));
    for face in ["liveness", "similarity"] {
        assert_eq!(
            decision_of(capability(&details, face)?),
            pair("NOT_EXECUTED", "PRECONDITION_NOT_FULFILLED"),
            "{face}"
        );
    }
    assert_eq!(details["decision"]["type"], json!("REJECTED"));
    server.stop().await
}

#[tokio::test]
async fn a_finalized_execution_survives_a_restart_and_is_processed_after_it() -> Result<()> {
    let server = TestServer::start().await?;
    let (_, status) = finalized_id(&server, encode_jpeg(document_photo(1280, 810, 5))).await?;
    // The new server listens on another port: keep the path only.
    let path = status.replacen(&server.base, "", 1);
    let server = server
        .restart_with(|settings| settings.processing.workers = 1)
        .await?;
    wait_for_status(&server, &server.url(&path), "PROCESSED").await?;
    server.stop().await
}

#[tokio::test]
async fn a_dead_workers_job_is_taken_over_after_its_lease_and_completes_once() -> Result<()> {
    let server = TestServer::start().await?;
    let (_, status) = finalized_id(&server, encode_jpeg(document_photo(1280, 810, 4))).await?;
    let runtime = Runtime {
        clock: server.clock.clone(),
        random: Arc::new(verifyd_server::random::OsRandom),
    };
    let domain = open_domain(&server.settings, &runtime).await?;
    // A worker claims the job and dies without finishing it.
    let abandoned = domain
        .claim_job(Duration::minutes(5))
        .await?
        .context("a due job")?;

    let key = verifyd_server::callbacks::MasterKey::load_or_create(
        &server.settings.master_key_file()?,
        &verifyd_server::random::OsRandom,
    )?;
    let workers = spawn_background(
        &domain,
        &server.settings,
        Loops {
            workers: 1,
            purging: false,
        },
        &server.base,
        key,
    )?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let waiting = ok_json(server.tenant(Method::GET, &status).send().await?).await?;
    assert_eq!(
        waiting["workflowExecution"]["status"],
        json!("ACQUIRED"),
        "the lease still holds"
    );

    server.advance(Duration::minutes(5));
    wait_for_status(&server, &status, "PROCESSED").await?;
    let details = ok_json(
        server
            .tenant(Method::GET, status.trim_end_matches("/status"))
            .send()
            .await?,
    )
    .await?;

    // The dead worker, coming back, cannot complete the job a second time.
    let analysers = verifyd_domain::analysers::Analysers::default();
    assert!(!domain.run_job(&analysers, &abandoned).await?);
    let after = ok_json(
        server
            .tenant(Method::GET, status.trim_end_matches("/status"))
            .send()
            .await?,
    )
    .await?;
    assert_eq!(after, details, "the outcome is the one completion's");
    assert!(
        domain.claim_job(Duration::minutes(5)).await?.is_none(),
        "no job is left"
    );
    workers.stop().await;
    server.stop().await
}
