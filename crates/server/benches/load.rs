//! Load generator against the real server on this machine's loopback: account creation, 1 MB
//! part uploads and status reads under concurrency, on the embedded default (SQLite and files in
//! a temporary directory) and then, in the same run, on PostgreSQL (a database of its own on the
//! local server) and S3 (a SeaweedFS of its own, `scripts/seaweedfs`).
//! Run: `cargo bench -p verifyd-server --bench load` (`--sqlite-only` skips the second).
//! Bounded in request count; stops by itself.

use std::io::Cursor;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reqwest::Client;
use serde_json::{json, Value};
use tokio::sync::Semaphore;
use verifyd_server::config::Processing;
use verifyd_server::Settings;
use verifyd_testkit::{free_port, on_shared_backends, ScratchPostgres, SeaweedFs, TestServer};

struct Figures {
    name: &'static str,
    requests: usize,
    concurrency: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
    failures: usize,
}

impl Figures {
    fn print(&mut self) {
        self.latencies.sort();
        let percentile = |p: f64| {
            let index = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
            self.latencies
                .get(index)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        println!(
            "{:<24} {:>6} requests, concurrency {:>3}: {:>8.0} req/s, p50 {:>7.2} ms, p99 {:>7.2} ms, failures {}",
            self.name,
            self.requests,
            self.concurrency,
            self.requests as f64 / self.elapsed.as_secs_f64(),
            percentile(0.50),
            percentile(0.99),
            self.failures
        );
    }
}

/// Runs `requests` calls of `call(i)` with at most `concurrency` in flight.
async fn drive<F, Fut>(name: &'static str, requests: usize, concurrency: usize, call: F) -> Figures
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let call = Arc::new(call);
    let permits = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(requests);
    for i in 0..requests {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let ok = call(i).await;
            drop(permit);
            (sent.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let mut failures = 0;
    for task in tasks {
        match task.await {
            Ok((latency, ok)) => {
                latencies.push(latency);
                failures += usize::from(!ok);
            }
            Err(_) => failures += 1,
        }
    }
    Figures {
        name,
        requests,
        concurrency,
        elapsed: started.elapsed(),
        latencies,
        failures,
    }
}

/// A noisy photograph-sized JPEG of about 1 MB (noise compresses badly, like a real photo).
fn one_megabyte_jpeg() -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let image = image::RgbImage::from_fn(1280, 880, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state % 96) as u8;
        image::Rgb([(x % 160) as u8 + noise, (y % 160) as u8 + noise / 2, noise])
    });
    let mut out = Cursor::new(Vec::new());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92);
    let _ = image::DynamicImage::ImageRgb8(image).write_with_encoder(encoder);
    out.into_inner()
}

fn account_body(i: usize) -> Value {
    json!({"customerInternalReference": format!("load-{i}"), "workflowDefinition": {"key": 2}})
}

fn main() -> Result<()> {
    let sqlite_only = std::env::args().any(|arg| arg == "--sqlite-only");
    println!(
        "verifyd load benchmark: {} cores, server and load generator on one machine",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    run("SQLite + files", |_| Ok(()))?;
    if !sqlite_only {
        let setup = tokio::runtime::Runtime::new()?;
        let store = setup.block_on(SeaweedFs::start())?;
        let database = ScratchPostgres::create()?;
        let port = free_port()?;
        run("PostgreSQL + S3 (SeaweedFS)", |settings| {
            on_shared_backends(settings, &database, &store, "load", port)
        })?;
        drop(store);
    }
    Ok(())
}

/// One server on the backends `backends` sets, measured.
fn run(name: &str, backends: impl FnOnce(&mut Settings) -> Result<()>) -> Result<()> {
    println!("-- {name}");
    let mut configured = Ok(());
    // The server gets its own runtime, as in `verifyd serve`; the load generator another.
    let server_runtime = tokio::runtime::Runtime::new()?;
    let server = server_runtime.block_on(
        TestServer::builder()
            .tenant("load")
            // Measured as it runs in production: the machine's clock, one worker polling at
            // the default interval, callbacks to public addresses only.
            .system_clock()
            .workers(Processing::default().workers)
            .configure(|settings| {
                settings.processing.poll_interval_ms = Processing::default().poll_interval_ms;
                settings.allow_local_urls = false;
                configured = backends(settings);
            })
            .start(),
    )?;
    configured?;
    let tenant = server.tenant.clone();
    let base = server.base.clone();
    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    client_runtime.block_on(measure(base, (tenant.client_id, tenant.client_secret)))?;
    server_runtime.block_on(server.stop())?;
    Ok(())
}

/// Creations, uploads and status reads against the server at `base`.
async fn measure(base: String, auth: (String, String)) -> Result<()> {
    let http = Client::builder()
        .user_agent("verifyd load bench")
        .pool_max_idle_per_host(256)
        .build()?;
    // Warm-up (connection pool, argon2 verification remembered).
    for i in 0..20 {
        http.post(format!("{base}/api/v1/accounts"))
            .basic_auth(&auth.0, Some(&auth.1))
            .json(&account_body(i))
            .send()
            .await?;
    }

    let (h, b, a) = (http.clone(), base.clone(), auth.clone());
    let mut creation = drive("account creation", 3000, 32, move |i| {
        let (h, b, a) = (h.clone(), b.clone(), a.clone());
        async move {
            h.post(format!("{b}/api/v1/accounts"))
                .basic_auth(&a.0, Some(&a.1))
                .json(&account_body(i))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await;
    creation.print();

    // Executions to upload into and read.
    let mut executions = Vec::new();
    for i in 0..64 {
        let created: Value = http
            .post(format!("{base}/api/v1/accounts"))
            .basic_auth(&auth.0, Some(&auth.1))
            .json(&account_body(i))
            .send()
            .await?
            .json()
            .await?;
        let id = &created["workflowExecution"]["credentials"][0];
        let token = id["api"]["token"].as_str().context("token")?.to_owned();
        let front = id["api"]["parts"]["front"]
            .as_str()
            .context("front")?
            .to_owned();
        let status = format!(
            "{}/status",
            id["api"]["workflowExecution"].as_str().context("href")?
        );
        executions.push((token, front, status));
    }
    let executions = Arc::new(executions);

    let photo = bytes::Bytes::from(one_megabyte_jpeg());
    println!("upload size: {} bytes", photo.len());
    let (h, e, p) = (http.clone(), executions.clone(), photo.clone());
    let mut uploads = drive("1 MB part upload (PUT)", 400, 8, move |i| {
        let (h, e, p) = (h.clone(), e.clone(), p.clone());
        async move {
            let (token, front, _) = &e[i % e.len()];
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::stream(p).file_name("front.jpg"),
            );
            h.put(front)
                .bearer_auth(token)
                .multipart(form)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await;
    uploads.print();

    let (h, e, a) = (http.clone(), executions.clone(), auth.clone());
    let mut reads = drive("status retrieval", 20000, 64, move |i| {
        let (h, e, a) = (h.clone(), e.clone(), a.clone());
        async move {
            let (_, _, status) = &e[i % e.len()];
            h.get(status)
                .basic_auth(&a.0, Some(&a.1))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
        }
    })
    .await;
    reads.print();
    Ok(())
}
