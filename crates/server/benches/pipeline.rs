//! Processing and callback throughput against the real server and a real local receiver:
//! jobs/s through the capability pipeline (usability, then the document engine's MRZ search
//! with the OCR models, barcode search and text count, on ~1.3 MP photos) and callback
//! deliveries/s (expiry callbacks, signed, over HTTP).
//! Run: `cargo bench -p verifyd-server --bench pipeline` (`PIPELINE_JOBS` sets the job count,
//! default 200). Bounded in count; stops by itself.

use std::io::Cursor;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use reqwest::Client;
use serde_json::{json, Value};
use verifyd_domain::clock::{Clock, ManualClock};
use verifyd_server::callbacks::MasterKey;
use verifyd_server::random::OsRandom;
use verifyd_server::serve::{open_domain, Workers};
use verifyd_server::{admin, Runtime, Settings};

const DEFAULT_JOBS: usize = 200;
const CALLBACKS: usize = 1000;

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
    let dir = tempfile::tempdir()?;
    let mut settings = Settings {
        listen: "127.0.0.1:0".parse()?,
        data_dir: dir.path().join("data"),
        pdf_inspector: Some(env!("CARGO_BIN_EXE_verifyd-inspect-pdf").into()),
        allow_local_urls: true,
        ..Settings::default()
    };
    settings.processing.workers = 0;
    settings.processing.poll_interval_ms = 20;
    settings.limits.initiations_per_second = 0;
    settings.limits.initiations_per_minute = 0;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let tenant = admin::create_tenant(&settings, "bench").await?;
        let server = verifyd_server::start(settings.clone(), Runtime { clock: clock.clone(), random: Arc::new(OsRandom) }).await?;
        let base = server.base_url.clone();
        let http = Client::builder().user_agent("verifyd pipeline bench").build()?;
        let auth = (tenant.client_id.clone(), tenant.client_secret.clone());

        // A receiver that counts callbacks.
        let received = Arc::new(AtomicUsize::new(0));
        let counter = received.clone();
        let app = axum::Router::new().route(
            "/callback",
            axum::routing::post(move || {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    "ok"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let callback_url = format!("http://{}/callback", listener.local_addr()?);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });

        println!("verifyd pipeline benchmark: {} cores", std::thread::available_parallelism().map_or(0, |n| n.get()));
        let jobs: usize = std::env::var("PIPELINE_JOBS")
            .ok()
            .and_then(|value| value.parse().ok())
            .unwrap_or(DEFAULT_JOBS);
        let photo = document_jpeg(1);
        println!("document photo: 1400x900, {} bytes", photo.len());

        // Finalized executions waiting for processing (no callback: this measures the pipeline).
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
        let domain = open_domain(&settings, &Runtime { clock: clock.clone(), random: Arc::new(OsRandom) }).await?;
        let key = MasterKey::load_or_create(&settings.master_key_file()?, &OsRandom)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let started = Instant::now();
        let workers = Workers::spawn(&domain, &settings, cores, &base, key.clone())?;
        loop {
            let backlog = domain.repository().overdue_jobs(clock.now() + chrono::Duration::seconds(1)).await?;
            if backlog == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let elapsed = started.elapsed();
        println!(
            "processing: {jobs} jobs with {cores} workers in {:.2} s: {:.1} jobs/s ({:.1} ms per job per worker)",
            elapsed.as_secs_f64(),
            jobs as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1000.0 * cores as f64 / jobs as f64
        );
        workers.stop().await;

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
        let workers = Workers::spawn(&domain, &settings, 1, &base, key)?;
        while received.load(Ordering::SeqCst) < expired {
            if started.elapsed() > Duration::from_secs(300) {
                anyhow::bail!("only {} of {expired} callbacks arrived", received.load(Ordering::SeqCst));
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
