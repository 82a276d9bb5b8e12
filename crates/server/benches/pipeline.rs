//! Processing latency and throughput, and callbacks, against the real server and a real local
//! receiver: the time from finalize to PROCESSED of one transaction at a time on the idle
//! server (workflow 2, a photographed passport; workflow 3, the same passport and its
//! holder's selfie), jobs/s through the capability pipeline (usability, then the document
//! engine's MRZ search with the OCR models, barcode search and text count, on ~1.3 MP photos)
//! and callback deliveries/s (expiry callbacks, signed, over HTTP).
//! Run: `cargo bench -p verifyd-server --bench pipeline` (`PIPELINE_JOBS` sets the job count
//! of each of the two processing runs, one worker and one per core; default 200). Bounded in count; stops by itself.

use std::io::Cursor;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reqwest::Client;
use serde_json::{json, Value};
use verifyd_domain::clock::{Clock, SystemClock};
use verifyd_server::background::Loops;
use verifyd_server::callbacks::MasterKey;
use verifyd_server::random::OsRandom;
use verifyd_server::serve::{open_domain, spawn_background};
use verifyd_testkit::{encode_jpeg, passport_bearing, person, Receiver, TestServer};

const DEFAULT_JOBS: usize = 200;
const CALLBACKS: usize = 1000;
/// Transactions per workflow in the latency run, one at a time.
const LATENCY_RUNS: usize = 9;

/// A phone photo of a rendered passport whose portrait is the face on `obama2.jpg`, and the
/// selfie of its holder on `obama3.jpg` (real photos, `scripts/fetch-test-photos`).
fn passport_and_selfie() -> Result<(Vec<u8>, Vec<u8>)> {
    use verifyd_engine::documents::synthetic::{degrade, Degradation};
    let mut photo = passport_bearing("obama2.jpg")?.image;
    for (step, degradation) in Degradation::PHONE_PHOTO.into_iter().enumerate() {
        photo = degrade(&photo, degradation, 7 + step as u32)?;
    }
    Ok((encode_jpeg(photo), encode_jpeg(person("obama3.jpg")?)))
}

/// Seconds from the finalize request to the status PROCESSED of one transaction of workflow
/// `key`: `front` as the ID and, when given, `selfie` as the selfie.
async fn finalize_to_processed(
    http: &Client,
    base: &str,
    auth: &(String, String),
    key: u32,
    front: &[u8],
    selfie: Option<&[u8]>,
) -> Result<f64> {
    let body = json!({"customerInternalReference": "latency", "workflowDefinition": {"key": key},
        "userConsent": {"userIp": "192.0.2.10", "userLocation": {"country": "USA", "state": "IL"},
            "consent": {"obtained": "yes", "obtainedAt": "2026-11-01T10:00:00.000Z"}}});
    let account: Value = http
        .post(format!("{base}/api/v1/accounts"))
        .basic_auth(&auth.0, Some(&auth.1))
        .json(&body)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let credentials = account["workflowExecution"]["credentials"]
        .as_array()
        .context("credentials")?;
    let of = |category: &str| credentials.iter().find(|c| c["category"] == category);
    let id = of("ID").context("no ID credential")?;
    let token = id["api"]["token"].as_str().context("token")?;
    let part = |bytes: &[u8]| {
        reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("f.jpg"),
        )
    };
    http.post(id["api"]["parts"]["front"].as_str().context("front")?)
        .bearer_auth(token)
        .multipart(part(front))
        .send()
        .await?
        .error_for_status()?;
    let execution = id["api"]["workflowExecution"].as_str().context("href")?;
    if let Some(selfie) = selfie {
        let credential = of("SELFIE").context("no SELFIE credential")?;
        let href = format!(
            "{execution}/credentials/{}/parts/FACE",
            credential["id"].as_str().context("id")?
        );
        http.post(href)
            .bearer_auth(token)
            .multipart(part(selfie))
            .send()
            .await?
            .error_for_status()?;
    }
    let started = Instant::now();
    http.put(execution)
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?;
    loop {
        let status: Value = http
            .get(format!("{execution}/status"))
            .basic_auth(&auth.0, Some(&auth.1))
            .send()
            .await?
            .json()
            .await?;
        if status["workflowExecution"]["status"] == "PROCESSED" {
            return Ok(started.elapsed().as_secs_f64());
        }
        if started.elapsed() > Duration::from_secs(120) {
            anyhow::bail!("workflow {key}: not processed in 120 s: {status}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// A document-like photo: card background, band, dark text strokes, mild noise.
fn document_jpeg(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let image = image::RgbImage::from_fn(1400, 900, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 7) as u8;
        if y < 120 {
            image::Rgb([40, 70, 150 + noise])
        } else if (x / 9 + y / 40) % 3 == 0 && y % 40 < 22 && x > 450 {
            image::Rgb([25 + noise, 25, 35])
        } else {
            image::Rgb([230 - noise, 224, 206])
        }
    });
    let mut out = Cursor::new(Vec::new());
    let _ = image::DynamicImage::ImageRgb8(image).write_to(&mut out, image::ImageFormat::Jpeg);
    out.into_inner()
}

fn main() -> Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        // Workers are started below, one measurement at a time; the clock is moved to expire.
        let server = TestServer::builder()
            .tenant("bench")
            .clock_at(SystemClock.now())
            .user_agent("verifyd pipeline bench")
            .configure(|settings| settings.processing.poll_interval_ms = 20)
            .start()
            .await?;
        let (settings, clock, http) = (&server.settings, &server.clock, &server.http);
        let base = server.base.clone();
        let auth = (server.tenant.client_id.clone(), server.tenant.client_secret.clone());

        // The callbacks' endpoint; the deliveries are counted as they arrive.
        let receiver = Receiver::start(Vec::new()).await?;
        let callback_url = receiver.url.clone();

        println!("verifyd pipeline benchmark: {} cores", std::thread::available_parallelism().map_or(0, |n| n.get()));
        let jobs: usize = std::env::var("PIPELINE_JOBS")
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(DEFAULT_JOBS);
        let domain = open_domain(settings, &server.runtime()).await?;
        let key = MasterKey::load_or_create(&settings.master_key_file()?, &OsRandom)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());

        // Finalize to PROCESSED, one transaction at a time on the idle server.
        let (passport, selfie) = passport_and_selfie()?;
        let workers = spawn_background(&domain, settings, Loops { workers: cores, purging: false }, &base, key.clone())?;
        for (key, with_selfie) in [(2, false), (3, true)] {
            let mut seconds = Vec::new();
            for _ in 0..LATENCY_RUNS {
                let selfie = with_selfie.then_some(selfie.as_slice());
                seconds.push(finalize_to_processed(http, &base, &auth, key, &passport, selfie).await?);
            }
            println!(
                "finalize to PROCESSED, workflow {key} ({}): median {:.2} s, min {:.2} s, max {:.2} s over {LATENCY_RUNS}",
                if with_selfie { "photographed passport and selfie" } else { "photographed passport" },
                median(&mut seconds),
                seconds.first().copied().unwrap_or(0.0),
                seconds.last().copied().unwrap_or(0.0),
            );
        }
        workers.stop().await;

        let photo = document_jpeg(1);
        println!("document photo: 1400x900, {} bytes", photo.len());

        // Finalized executions waiting for processing (no callback: this measures the pipeline),
        // drained by one worker, then by one per core.
        for workers_count in [1, cores] {
            for i in 0..jobs {
                let account: Value = http
                    .post(format!("{base}/api/v1/accounts"))
                    .basic_auth(&auth.0, Some(&auth.1))
                    .json(&json!({"customerInternalReference": format!("job-{i}"), "workflowDefinition": {"key": 2}}))
                    .send()
                    .await?
                    .json()
                    .await?;
                let id = &account["workflowExecution"]["credentials"][0];
                let token = id["api"]["token"].as_str().context("token")?;
                let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(photo.clone()).file_name("f.jpg"));
                http.post(id["api"]["parts"]["front"].as_str().context("front")?).bearer_auth(token).multipart(form).send().await?.error_for_status()?;
                http.put(id["api"]["workflowExecution"].as_str().context("href")?).bearer_auth(token).send().await?.error_for_status()?;
            }
            let started = Instant::now();
            let workers = spawn_background(&domain, settings, Loops { workers: workers_count, purging: false }, &base, key.clone())?;
            loop {
                let backlog = domain.repository().overdue_jobs(clock.now() + chrono::Duration::seconds(1)).await?;
                if backlog == 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let elapsed = started.elapsed();
            println!(
                "processing: {jobs} jobs with {workers_count} worker(s) in {:.2} s: {:.1} jobs/s ({:.1} ms per job per worker)",
                elapsed.as_secs_f64(),
                jobs as f64 / elapsed.as_secs_f64(),
                elapsed.as_secs_f64() * 1000.0 * workers_count as f64 / jobs as f64
            );
            workers.stop().await;
        }

        // Executions that expire unused, each with a callback to the receiver.
        for i in 0..CALLBACKS {
            http.post(format!("{base}/api/v1/accounts"))
                .basic_auth(&auth.0, Some(&auth.1))
                .json(&json!({"customerInternalReference": format!("cb-{i}"), "workflowDefinition": {"key": 2}, "tokenLifetime": "5m", "callbackUrl": callback_url}))
                .send()
                .await?
                .error_for_status()?;
        }
        clock.advance(chrono::Duration::minutes(6));
        let expired = domain.expire_due().await?;
        let started = Instant::now();
        let workers = spawn_background(&domain, settings, Loops { workers: 1, purging: false }, &base, key)?;
        while receiver.count() < expired {
            if started.elapsed() > Duration::from_secs(300) {
                anyhow::bail!("only {} of {expired} callbacks arrived", receiver.count());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let elapsed = started.elapsed();
        println!(
            "callbacks: {expired} signed deliveries to a local receiver in {:.2} s: {:.0} deliveries/s",
            elapsed.as_secs_f64(),
            expired as f64 / elapsed.as_secs_f64()
        );
        workers.stop().await;
        server.stop().await?;
        anyhow::Ok(())
    })
}
