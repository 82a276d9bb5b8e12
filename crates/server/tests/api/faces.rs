//! The face engine through the whole server, on real photos (scripts/fetch-test-photos): ID
//! portraits against selfies (workflows 3, 5, 20), passive liveness of a selfie, capture
//! sequences against the server's challenge (workflow 6), the facemap they leave, and
//! authentication against it (workflows 9 and 16). A real worker runs the real models.

use anyhow::{Context, Result};
use image::RgbImage;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_engine::faces::largest_face;
use verifyd_engine::faces::synthetic::{turn_head, turn_photo};
use verifyd_testkit::*;

/// A passport whose portrait is the face on `name`.
fn passport_of(name: &str) -> Result<Vec<u8>> {
    Ok(encode_jpeg(passport_bearing(name)?.image))
}

/// `image` with a camera's faint noise, different for every `seed`: no two captures are the
/// same file.
fn captured(mut image: RgbImage, seed: u32) -> Vec<u8> {
    for (x, y, pixel) in image.enumerate_pixels_mut() {
        let noise = (x.wrapping_mul(31) ^ y.wrapping_mul(17) ^ seed.wrapping_mul(7919)) % 5;
        for channel in &mut pixel.0 {
            *channel = channel.saturating_add(noise as u8).saturating_sub(2);
        }
    }
    encode_jpeg(image)
}

/// Frames of the person on `name` performing `turns` (TURN_LEFT, TURN_RIGHT): a frontal frame
/// first and between turns, as the web client captures them; `seed` tells captures apart.
pub(crate) fn frames_performing(name: &str, turns: &[String], seed: u32) -> Result<Vec<Vec<u8>>> {
    let person = person(name)?;
    let faces = face_engine()?.detect(&person)?;
    let face = largest_face(&faces)
        .context("no face on the photo")?
        .clone();
    let mut frames = vec![captured(person.clone(), seed)];
    for (n, turn) in (1..).zip(turns) {
        let strength = if turn == "TURN_LEFT" { 1.6 } else { -1.6 };
        frames.push(captured(
            turn_head(&person, &face, strength),
            seed * 100 + 2 * n,
        ));
        frames.push(captured(person.clone(), seed * 100 + 2 * n + 1));
    }
    Ok(frames)
}

fn with_workers() -> impl FnOnce(&mut verifyd_server::Settings) {
    |settings| settings.processing.workers = 1
}

/// Uploads, finalizes, waits; the execution's details.
async fn processed(server: &TestServer, account: &Value, token: &str) -> Result<Value> {
    let execution = execution_of(server, account)?;
    server.finalize(token, &execution).await?;
    wait_for_status(server, &format!("{execution}/status"), "PROCESSED").await?;
    ok_json(server.tenant(Method::GET, &execution).send().await?).await
}

/// The execution's URL, from its ids: capture-only credentials carry no API links.
fn execution_of(server: &TestServer, account: &Value) -> Result<String> {
    Ok(server.url(&format!(
        "/api/v1/accounts/{}/workflow-executions/{}",
        text(account, "/account/id")?,
        text(account, "/workflowExecution/id")?
    )))
}

fn capability<'a>(details: &'a Value, name: &str) -> Result<&'a Value> {
    details["capabilities"][name]
        .get(0)
        .with_context(|| format!("no {name} in {details}"))
}

fn part_href(
    server: &TestServer,
    account: &Value,
    credential: &Value,
    classifier: &str,
) -> Result<String> {
    Ok(format!(
        "{}/credentials/{}/parts/{classifier}",
        execution_of(server, account)?,
        text(credential, "/id")?
    ))
}

/// Issues a challenge for the FACEMAP credential with `token`; its turns.
async fn challenge(server: &TestServer, account: &Value, token: &str) -> Result<Vec<String>> {
    let facemap = credential(account, "FACEMAP")?;
    let href = format!(
        "{}/credentials/{}/liveness-challenge",
        execution_of(server, account)?,
        text(facemap, "/id")?
    );
    let issued = ok_json(server.bearer(token, Method::POST, &href).send().await?).await?;
    Ok(issued["turns"]
        .as_array()
        .context("turns")?
        .iter()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect())
}

async fn upload_frames(
    server: &TestServer,
    account: &Value,
    token: &str,
    frames: Vec<Vec<u8>>,
) -> Result<()> {
    let facemap = credential(account, "FACEMAP")?;
    for (n, frame) in (1..).zip(frames) {
        let href = part_href(server, account, facemap, &format!("LIVENESS_{n}"))?;
        ok_json(
            server
                .upload(token, Method::POST, &href, frame, "frame.jpg")
                .await?,
        )
        .await?;
    }
    Ok(())
}

async fn upload_selfie(
    server: &TestServer,
    account: &Value,
    token: &str,
    name: &str,
) -> Result<()> {
    upload_selfie_file(server, account, token, encode_jpeg(person(name)?)).await
}

async fn upload_selfie_file(
    server: &TestServer,
    account: &Value,
    token: &str,
    jpeg: Vec<u8>,
) -> Result<()> {
    let href = part_href(server, account, credential(account, "SELFIE")?, "FACE")?;
    ok_json(
        server
            .upload(token, Method::POST, &href, jpeg, "selfie.jpg")
            .await?,
    )
    .await?;
    Ok(())
}

/// A new workflow 3 account whose ID is a passport bearing the face on `name`: the account
/// and its token.
async fn passport_account(server: &TestServer, name: &str) -> Result<(Value, String)> {
    let account = server
        .create_account(json!({"customerInternalReference": "r", "workflowDefinition": {"key": 3}, "userConsent": consent()}))
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?.to_owned();
    server
        .upload_part(&token, id, "front", passport_of(name)?)
        .await?;
    Ok((account, token))
}

/// A new workflow 6 account through the SDK channel: the account and its token.
async fn capture_account(server: &TestServer) -> Result<(Value, String)> {
    let account = server
        .create_account(json!({"customerInternalReference": "r", "workflowDefinition": {"key": 6}, "userConsent": consent()}))
        .await?;
    let token = text(&account, "/sdk/token")?.to_owned();
    Ok((account, token))
}

/// A workflow 6 capture: its account, details, challenge and frames.
struct Capture {
    account: Value,
    details: Value,
    turns: Vec<String>,
    frames: Vec<Vec<u8>>,
}

/// Workflow 6 through the SDK channel: challenge, frames of `name` performing it, a selfie.
async fn standalone_liveness(server: &TestServer, name: &str, seed: u32) -> Result<Capture> {
    let account = server
        .create_account(json!({"customerInternalReference": "live", "workflowDefinition": {"key": 6}, "userConsent": consent()}))
        .await?;
    let token = text(&account, "/sdk/token")?.to_owned();
    let turns = challenge(server, &account, &token).await?;
    assert_eq!(turns.len(), 3);
    let frames = frames_performing(name, &turns, seed)?;
    upload_frames(server, &account, &token, frames.clone()).await?;
    upload_selfie(server, &account, &token, name).await?;
    let details = processed(server, &account, &token).await?;
    Ok(Capture {
        account,
        details,
        turns,
        frames,
    })
}

#[tokio::test]
async fn an_id_portrait_matches_its_holders_selfie_and_not_another_persons() -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    for (selfie, expected) in [
        ("obama3.jpg", ("PASSED", "MATCH")),
        ("biden.jpg", ("REJECTED", "NO_MATCH")),
    ] {
        let (account, token) = passport_account(&server, "obama2.jpg").await?;
        upload_selfie(&server, &account, &token, selfie).await?;
        let details = processed(&server, &account, &token).await?;
        let similarity = capability(&details, "similarity")?;
        assert_eq!(
            decision_of(similarity),
            pair(expected.0, expected.1),
            "{selfie}"
        );
        assert_eq!(similarity["data"]["similarity"], json!(expected.1));
        // One selfie cannot prove presence: never PASSED, and no facemap.
        let liveness = capability(&details, "liveness")?;
        assert_eq!(
            decision_of(liveness),
            pair("WARNING", "LIVENESS_UNDETERMINED")
        );
        assert!(liveness.get("validFaceMapForAuthentication").is_none());
    }
    server.stop().await
}

#[tokio::test]
async fn a_group_photo_as_selfie_is_multiple_people() -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    let (account, token) = capture_account(&server).await?;
    upload_selfie(&server, &account, &token, "sample4.jpg").await?;
    let details = processed(&server, &account, &token).await?;
    assert_eq!(
        decision_of(capability(&details, "liveness")?),
        pair("REJECTED", "MULTIPLE_PEOPLE")
    );
    server.stop().await
}

/// `jpeg` shown on a phone's screen and photographed (an LCD's stripes at 2.4 camera pixels
/// per screen pixel, the lens, the phone's exposure), or printed in halftone dots and photographed.
fn reproduced(jpeg: &[u8], on_screen: bool, seed: u32) -> Result<Vec<u8>> {
    use verifyd_engine::documents::synthetic::{degrade, Degradation};
    let chain: &[Degradation] = if on_screen {
        &[
            Degradation::Screen(2.4),
            Degradation::Blur(0.6),
            Degradation::Exposure(118),
        ]
    } else {
        &[
            Degradation::ColourCopy(4.2),
            Degradation::Blur(0.8),
            Degradation::Jpeg(85),
        ]
    };
    let mut image = image::load_from_memory(jpeg)?.to_rgb8();
    for step in chain {
        image = degrade(&image, *step, seed)?;
    }
    Ok(encode_jpeg(image))
}

/// Uploads `frames` and the person's selfie, finalizes, waits: the liveness capability.
async fn captured_liveness(
    server: &TestServer,
    account: &Value,
    token: &str,
    frames: Vec<Vec<u8>>,
) -> Result<Value> {
    upload_frames(server, account, token, frames).await?;
    upload_selfie(server, account, token, "obama.jpg").await?;
    let details = processed(server, account, token).await?;
    Ok(capability(&details, "liveness")?.clone())
}

#[tokio::test]
async fn a_challenge_played_on_a_screen_or_a_printed_selfie_is_refused_as_a_copy() -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    // Workflow 6: the challenge performed by a recording on a phone held up to the camera.
    let (account, token) = capture_account(&server).await?;
    let turns = challenge(&server, &account, &token).await?;
    let frames = frames_performing("obama.jpg", &turns, 9)?
        .iter()
        .zip(1..)
        .map(|(frame, seed)| reproduced(frame, true, seed))
        .collect::<Result<Vec<_>>>()?;
    let liveness = captured_liveness(&server, &account, &token, frames).await?;
    assert_eq!(
        decision_of(&liveness),
        pair("REJECTED", "DIGITAL_COPY"),
        "{liveness}"
    );
    let ratio = liveness["data"]["presentation"]["screenPeakRatio"]
        .as_f64()
        .context("the screen measure")?;
    assert!(ratio > 0.0, "{liveness}");
    assert!(liveness.get("validFaceMapForAuthentication").is_none());

    // Workflow 3: a printed photo of the person held up as the selfie.
    let (account, token) = passport_account(&server, "obama2.jpg").await?;
    let print = reproduced(&encode_jpeg(person("obama.jpg")?), false, 3)?;
    upload_selfie_file(&server, &account, &token, print).await?;
    let details = processed(&server, &account, &token).await?;
    let liveness = capability(&details, "liveness")?;
    assert_eq!(
        decision_of(liveness),
        pair("REJECTED", "PHOTOCOPY"),
        "{liveness}"
    );
    assert!(liveness["data"]["presentation"]["halftoneGrids"].as_f64() >= Some(2.0));
    server.stop().await
}

#[tokio::test]
async fn a_performed_challenge_passes_leaves_a_facemap_and_authenticates_the_same_person_only(
) -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    let Capture {
        account, details, ..
    } = standalone_liveness(&server, "obama.jpg", 1).await?;
    let liveness = capability(&details, "liveness")?;
    assert_eq!(decision_of(liveness), pair("PASSED", "OK"), "{details}");
    assert!(liveness["data"].get("sameFaceOnOtherAccounts").is_none());
    let href = text(liveness, "/validFaceMapForAuthentication")?;
    assert!(href.starts_with(&server.base), "{href}");
    let response = server.tenant(Method::GET, href).send().await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    let facemap = response.bytes().await?.to_vec();
    assert!(facemap.starts_with(b"VFM1"));

    // Workflow 9 on the same account: a new capture of the same person, then of another.
    let account_id = text(&account, "/account/id")?.to_owned();
    for (seed, name, expected) in [
        (2, "obama.jpg", ("PASSED", "OK")),
        (3, "biden.jpg", ("REJECTED", "FAILED")),
    ] {
        let update = server
            .update_account(
                &account_id,
                json!({"customerInternalReference": "auth", "workflowDefinition": {"key": 9}, "userConsent": consent()}),
            )
            .await?;
        let token = text(&update, "/sdk/token")?.to_owned();
        let turns = challenge(&server, &update, &token).await?;
        upload_frames(
            &server,
            &update,
            &token,
            frames_performing(name, &turns, seed)?,
        )
        .await?;
        upload_selfie(&server, &update, &token, name).await?;
        let details = processed(&server, &update, &token).await?;
        assert_eq!(
            decision_of(capability(&details, "authentication")?),
            pair(expected.0, expected.1),
            "{name}: {details}"
        );
    }

    // Workflow 16: the customer brings the facemap back, on another account of the tenant.
    let (other, _) = {
        let created = server
            .create_account(
                json!({"customerInternalReference": "other", "workflowDefinition": {"key": 2}}),
            )
            .await?;
        let id = credential(&created, "ID")?;
        let token = text(id, "/api/token")?.to_owned();
        server
            .upload_part(&token, id, "front", passport_of("obama2.jpg")?)
            .await?;
        server
            .finalize(&token, &execution_of(&server, &created)?)
            .await?;
        (created, ())
    };
    let update = server
        .update_account(
            text(&other, "/account/id")?,
            json!({"customerInternalReference": "premise", "workflowDefinition": {"key": 16}, "userConsent": consent()}),
        )
        .await?;
    let upload = credential(&update, "FACEMAP")?;
    let api_token = text(upload, "/api/token")?.to_owned();
    let mut tampered = facemap.clone();
    if let Some(last) = tampered.last_mut() {
        *last ^= 1;
    }
    let refused = server
        .upload(
            &api_token,
            Method::POST,
            text(upload, "/api/parts/facemap")?,
            tampered,
            "facemap.bin",
        )
        .await?;
    let (status, error) = error_json(refused).await?;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("INVALID_FACEMAP"))
    );
    server
        .upload_part(&api_token, upload, "facemap", facemap.clone())
        .await?;
    let sdk_token = text(&update, "/sdk/token")?.to_owned();
    upload_selfie(&server, &update, &sdk_token, "obama2.jpg").await?;
    let details = processed(&server, &update, &sdk_token).await?;
    let authentication = capability(&details, "authentication")?;
    assert_eq!(
        decision_of(authentication),
        pair("PASSED", "OK"),
        "{details}"
    );
    // The same face passed on the first account: a signal the tenant sees.
    assert_eq!(
        authentication["data"]["sameFaceOnOtherAccounts"],
        json!([account_id]),
        "{details}"
    );

    // Another tenant cannot use it.
    let globex = server.other_tenant("globex").await?;
    let foreign = ok_json(
        server
            .as_client(&globex, Method::POST, "/api/v1/accounts")
            .json(&json!({"customerInternalReference": "f", "workflowDefinition": {"key": 2}}))
            .send()
            .await?,
    )
    .await?;
    let id = credential(&foreign, "ID")?;
    let token = text(id, "/api/token")?.to_owned();
    server
        .upload_part(&token, id, "front", passport_of("obama2.jpg")?)
        .await?;
    server
        .finalize(&token, &execution_of(&server, &foreign)?)
        .await?;
    let foreign_update = ok_json(
        server
            .as_client(
                &globex,
                Method::PUT,
                &format!("/api/v1/accounts/{}", text(&foreign, "/account/id")?),
            )
            .json(&json!({"customerInternalReference": "f", "workflowDefinition": {"key": 16}, "userConsent": consent()}))
            .send()
            .await?,
    )
    .await?;
    let upload = credential(&foreign_update, "FACEMAP")?;
    let refused = server
        .upload(
            text(upload, "/api/token")?,
            Method::POST,
            text(upload, "/api/parts/facemap")?,
            facemap,
            "facemap.bin",
        )
        .await?;
    assert_eq!(error_json(refused).await?.0, StatusCode::BAD_REQUEST);
    server.stop().await
}

#[tokio::test]
async fn a_challenge_not_performed_or_frames_replayed_do_not_pass() -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    // Frames that perform another challenge than the one issued.
    let (account, token) = capture_account(&server).await?;
    let turns = challenge(&server, &account, &token).await?;
    let opposite: Vec<String> = turns
        .iter()
        .map(|t| {
            if t == "TURN_LEFT" {
                "TURN_RIGHT"
            } else {
                "TURN_LEFT"
            }
            .to_owned()
        })
        .collect();
    upload_frames(
        &server,
        &account,
        &token,
        frames_performing("obama.jpg", &opposite, 4)?,
    )
    .await?;
    upload_selfie(&server, &account, &token, "obama.jpg").await?;
    let details = processed(&server, &account, &token).await?;
    let liveness = capability(&details, "liveness")?;
    assert_eq!(
        decision_of(liveness),
        pair("REJECTED", "LIVENESS_UNDETERMINED")
    );
    assert!(liveness.get("validFaceMapForAuthentication").is_none());

    // A photo of the person turned before the camera for each turn asked: its perspective
    // reads as the turns, but it moves as one plane.
    let (account, token) = capture_account(&server).await?;
    let turns = challenge(&server, &account, &token).await?;
    let photo = person("obama.jpg")?;
    let faces = face_engine()?.detect(&photo)?;
    let face = largest_face(&faces).context("no face")?.clone();
    let mut frames = vec![captured(photo.clone(), 11)];
    for (n, turn) in (1..).zip(&turns) {
        let strength = if turn == "TURN_LEFT" { 1.0 } else { -1.0 };
        frames.push(captured(turn_photo(&photo, &face, strength), 1100 + 2 * n));
        frames.push(captured(photo.clone(), 1101 + 2 * n));
    }
    let liveness = captured_liveness(&server, &account, &token, frames).await?;
    assert_eq!(
        decision_of(&liveness),
        pair("REJECTED", "LIVENESS_UNDETERMINED"),
        "{liveness}"
    );
    assert!(liveness.get("validFaceMapForAuthentication").is_none());

    // Frames uploaded before the challenge they claim to perform.
    let (account, token) = capture_account(&server).await?;
    let guessed = vec!["TURN_LEFT".to_owned(); 3];
    upload_frames(
        &server,
        &account,
        &token,
        frames_performing("obama.jpg", &guessed, 5)?,
    )
    .await?;
    server.advance(chrono::Duration::seconds(5));
    let issued = challenge(&server, &account, &token).await?;
    // Asking again gives the same turns: a client cannot draw until they fit its recording.
    assert_eq!(challenge(&server, &account, &token).await?, issued);
    upload_selfie(&server, &account, &token, "obama.jpg").await?;
    let details = processed(&server, &account, &token).await?;
    assert_eq!(
        decision_of(capability(&details, "liveness")?),
        pair("REJECTED", "LIVENESS_UNDETERMINED")
    );

    // A passed capture, then its frames uploaded again in a new session whose challenge asks
    // for the same turns (new sessions are opened until one does): only the replay itself
    // can give it away.
    let first = standalone_liveness(&server, "obama.jpg", 6).await?;
    assert_eq!(
        decision_of(capability(&first.details, "liveness")?),
        pair("PASSED", "OK")
    );
    let mut attempts = 0;
    let (account, token) = loop {
        let (account, token) = capture_account(&server).await?;
        if challenge(&server, &account, &token).await? == first.turns {
            break (account, token);
        }
        attempts += 1;
        anyhow::ensure!(attempts < 200, "the challenge never repeated");
    };
    upload_frames(&server, &account, &token, first.frames.clone()).await?;
    upload_selfie(&server, &account, &token, "obama.jpg").await?;
    let details = processed(&server, &account, &token).await?;
    assert_eq!(
        decision_of(capability(&details, "liveness")?),
        pair("REJECTED", "MANIPULATED"),
        "{details}"
    );
    server.stop().await
}

#[tokio::test]
async fn workflow_5_and_20_compare_real_faces_end_to_end() -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    // Workflow 2 leaves the ID on file, workflow 5 compares a selfie with it.
    let first = server
        .create_account(
            json!({"customerInternalReference": "id", "workflowDefinition": {"key": 2}}),
        )
        .await?;
    let id = credential(&first, "ID")?;
    let token = text(id, "/api/token")?.to_owned();
    server
        .upload_part(&token, id, "front", passport_of("obama.jpg")?)
        .await?;
    processed(&server, &first, &token).await?;
    let id_credential = text(id, "/id")?.to_owned();
    for (selfie, expected) in [
        ("obama2.jpg", ("PASSED", "MATCH")),
        ("biden.jpg", ("REJECTED", "NO_MATCH")),
    ] {
        let update = server
            .update_account(
                text(&first, "/account/id")?,
                json!({
                    "customerInternalReference": "again",
                    "workflowDefinition": {"key": 5, "credentials": [{"id": id_credential, "category": "ID"}, {"category": "SELFIE"}]},
                    "userConsent": consent()
                }),
            )
            .await?;
        let selfie_credential = credential(&update, "SELFIE")?;
        let token = text(selfie_credential, "/api/token")?.to_owned();
        server
            .upload_part(
                &token,
                selfie_credential,
                "face",
                encode_jpeg(person(selfie)?),
            )
            .await?;
        let details = processed(&server, &update, &token).await?;
        assert_eq!(
            decision_of(capability(&details, "similarity")?),
            pair(expected.0, expected.1),
            "workflow 5, {selfie}: {details}"
        );
    }

    // Workflow 20: an ID and a selfie, both through the API.
    let account = server
        .create_account(json!({"customerInternalReference": "two", "workflowDefinition": {"key": 20}, "userConsent": consent()}))
        .await?;
    let id = credential(&account, "ID")?;
    let token = text(id, "/api/token")?.to_owned();
    server
        .upload_part(&token, id, "front", passport_of("obama3.jpg")?)
        .await?;
    let selfie_credential = credential(&account, "SELFIE")?;
    server
        .upload_part(
            text(selfie_credential, "/api/token")?,
            selfie_credential,
            "face",
            encode_jpeg(person("obama.jpg")?),
        )
        .await?;
    let details = processed(&server, &account, &token).await?;
    assert_eq!(
        decision_of(capability(&details, "similarity")?),
        pair("PASSED", "MATCH"),
        "workflow 20: {details}"
    );
    server.stop().await
}

#[tokio::test]
async fn a_deleted_execution_leaves_no_face_behind() -> Result<()> {
    let server = TestServer::start_with(with_workers()).await?;
    let first = standalone_liveness(&server, "obama.jpg", 7).await?;
    assert_eq!(
        decision_of(capability(&first.details, "liveness")?),
        pair("PASSED", "OK")
    );
    // While the first capture exists, the same face on another account is reported.
    let second = standalone_liveness(&server, "obama.jpg", 8).await?;
    let liveness = capability(&second.details, "liveness")?;
    assert_eq!(
        liveness["data"]["sameFaceOnOtherAccounts"],
        json!([text(&first.account, "/account/id")?])
    );
    // Both deleted: a third capture of that face matches nobody.
    for capture in [&first, &second] {
        let deleted = server
            .tenant(Method::DELETE, &execution_of(&server, &capture.account)?)
            .send()
            .await?;
        assert!(deleted.status().is_success(), "{}", deleted.status());
    }
    let third = standalone_liveness(&server, "obama.jpg", 9).await?;
    let liveness = capability(&third.details, "liveness")?;
    assert_eq!(decision_of(liveness), pair("PASSED", "OK"));
    assert!(
        liveness["data"].get("sameFaceOnOtherAccounts").is_none(),
        "{liveness}"
    );
    server.stop().await
}
