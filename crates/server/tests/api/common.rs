//! A real verifyd server on port 0 with a temporary data directory and a clock the test moves.

#![allow(dead_code)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{Duration, TimeZone, Utc};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use verifyd_domain::clock::ManualClock;
use verifyd_server::admin::{self, IssuedCredentials};
use verifyd_server::random::OsRandom;
use verifyd_server::{RunningServer, Runtime, Settings};

pub const USER_AGENT: &str = "Acme Onboarding/1.0 (tests)";

pub struct TestServer {
    pub base: String,
    pub clock: Arc<ManualClock>,
    pub settings: Settings,
    pub tenant: IssuedCredentials,
    pub http: Client,
    server: Option<RunningServer>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> Result<Self> {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(configure: impl FnOnce(&mut Settings)) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut settings = Settings {
            listen: "127.0.0.1:0".parse()?,
            data_dir: dir.path().join("data"),
            allow_local_urls: true,
            pdf_inspector: Some(env!("CARGO_BIN_EXE_verifyd-inspect-pdf").into()),
            ..Settings::default()
        };
        settings.processing.poll_interval_ms = 50;
        // Processing runs only where a test asks for it, so that ACQUIRED can be observed.
        settings.processing.workers = 0;
        // Tests create accounts faster than the initiation limits allow; one test turns them on.
        settings.limits.initiations_per_second = 0;
        settings.limits.initiations_per_minute = 0;
        configure(&mut settings);
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
                .single()
                .context("start time")?,
        ));
        let tenant = admin::create_tenant(&settings, "acme").await?;
        let server = verifyd_server::start(
            settings.clone(),
            Runtime {
                clock: clock.clone(),
                random: Arc::new(OsRandom),
            },
        )
        .await?;
        Ok(Self {
            base: server.base_url.clone(),
            clock,
            settings,
            tenant,
            http: Client::builder().user_agent(USER_AGENT).build()?,
            server: Some(server),
            _dir: dir,
        })
    }

    /// Stops the server and keeps its data, so that a test can change the data (as an older
    /// version or an operator would have left it) before `restart_with`.
    pub async fn halt(&mut self) -> Result<()> {
        if let Some(server) = self.server.take() {
            server.stop().await?;
        }
        Ok(())
    }

    /// Stops the server and starts a new one on the same data, as after a crash or an upgrade.
    pub async fn restart_with(mut self, configure: impl FnOnce(&mut Settings)) -> Result<Self> {
        if let Some(server) = self.server.take() {
            server.stop().await?;
        }
        configure(&mut self.settings);
        let server = verifyd_server::start(
            self.settings.clone(),
            Runtime {
                clock: self.clock.clone(),
                random: Arc::new(OsRandom),
            },
        )
        .await?;
        self.base = server.base_url.clone();
        self.server = Some(server);
        Ok(self)
    }

    /// A workflow 2 execution with `front` uploaded: (account response, api token, execution href).
    pub async fn id_with_front(
        &self,
        body: Value,
        front: Vec<u8>,
    ) -> Result<(Value, String, String)> {
        let account = self.create_account(body).await?;
        let id = credential(&account, "ID")?;
        let token = text(id, "/api/token")?.to_owned();
        self.upload_part(&token, id, "front", front).await?;
        let execution = text(id, "/api/workflowExecution")?.to_owned();
        Ok((account, token, execution))
    }

    /// Finalizes with `token`.
    pub async fn finalize(&self, token: &str, execution: &str) -> Result<()> {
        ok_json(
            self.bearer(token, reqwest::Method::PUT, execution)
                .send()
                .await?,
        )
        .await?;
        Ok(())
    }

    pub async fn stop(mut self) -> Result<()> {
        if let Some(server) = self.server.take() {
            server.stop().await?;
        }
        Ok(())
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub fn blob_dir(&self) -> PathBuf {
        self.settings.data_dir.join("blobs")
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// A request authenticated with the tenant's Basic credentials.
    pub fn tenant(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.as_client(&self.tenant, method, path)
    }

    pub fn as_client(
        &self,
        credentials: &IssuedCredentials,
        method: reqwest::Method,
        path: &str,
    ) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .basic_auth(&credentials.client_id, Some(&credentials.client_secret))
    }

    pub fn bearer(&self, token: &str, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(token)
    }

    /// Creates another tenant with full credentials.
    pub async fn other_tenant(&self, name: &str) -> Result<IssuedCredentials> {
        Ok(admin::create_tenant(&self.settings, name).await?)
    }

    pub async fn create_account(&self, body: Value) -> Result<Value> {
        let response = self
            .tenant(reqwest::Method::POST, "/api/v1/accounts")
            .json(&body)
            .send()
            .await?;
        ok_json(response).await
    }

    pub async fn update_account(&self, account: &str, body: Value) -> Result<Value> {
        let response = self
            .tenant(reqwest::Method::PUT, &format!("/api/v1/accounts/{account}"))
            .json(&body)
            .send()
            .await?;
        ok_json(response).await
    }

    /// Uploads `bytes` as the multipart `file` field.
    pub async fn upload(
        &self,
        token: &str,
        method: reqwest::Method,
        href: &str,
        bytes: Vec<u8>,
        name: &str,
    ) -> Result<Response> {
        let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
        Ok(self
            .bearer(token, method, href)
            .multipart(form)
            .send()
            .await?)
    }

    /// POSTs `bytes` as part `part` of `credential` (an entry of an account response's
    /// credentials) and requires it to be stored.
    pub async fn upload_part(
        &self,
        token: &str,
        credential: &Value,
        part: &str,
        bytes: Vec<u8>,
    ) -> Result<Value> {
        let href = text(credential, &format!("/api/parts/{part}"))?;
        ok_json(
            self.upload(token, reqwest::Method::POST, href, bytes, part)
                .await?,
        )
        .await
    }

    /// Every file below the blob directory whose path contains `needle`.
    pub fn blobs_containing(&self, needle: &str) -> Vec<PathBuf> {
        files_below(&self.blob_dir())
            .into_iter()
            .filter(|path| path.to_string_lossy().contains(needle))
            .collect()
    }
}

pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .collect()
}

/// The JSON body of a 200 response, or an error showing what came back.
pub async fn ok_json(response: Response) -> Result<Value> {
    let status = response.status();
    let text = response.text().await?;
    anyhow::ensure!(
        status == StatusCode::OK,
        "expected 200, got {status}: {text}"
    );
    Ok(serde_json::from_str(&text)?)
}

/// Status and JSON body of an error response, checking the error body's shape on the way.
pub async fn error_json(response: Response) -> Result<(StatusCode, Value)> {
    let status = response.status();
    let tracking = response.headers().get("x-trackingid").is_some();
    let text = response.text().await?;
    let body: Value = serde_json::from_str(&text).with_context(|| format!("{status}: {text}"))?;
    anyhow::ensure!(tracking, "no X-Trackingid on {status}");
    anyhow::ensure!(
        body["httpStatus"] == json!(status.as_u16().to_string())
            && body["code"].is_string()
            && body["message"].is_string()
            && body["requestURI"]
                .as_str()
                .is_some_and(|uri| uri.starts_with('/')),
        "malformed error body: {body}"
    );
    Ok((status, body))
}

pub fn consent() -> Value {
    json!({
        "userIp": "192.0.2.10",
        "userLocation": {"country": "USA", "state": "IL"},
        "consent": {"obtained": "yes", "obtainedAt": "2026-11-01T10:00:00.000Z"}
    })
}

/// A photograph-like image: smooth gradients with texture, so that encoders produce realistic files.
pub fn photo(width: u32, height: u32, seed: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let noise = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed.wrapping_mul(31)) % 23;
        image::Rgb([
            ((x * 255 / width.max(1)) as u8).wrapping_add(noise as u8),
            ((y * 255 / height.max(1)) as u8).wrapping_add((seed % 50) as u8),
            (((x + y) % 256) as u8) / 2 + noise as u8,
        ])
    })
}

pub fn jpeg(width: u32, height: u32, seed: u32) -> Vec<u8> {
    encode(photo(width, height, seed), image::ImageFormat::Jpeg)
}

pub fn png(width: u32, height: u32, seed: u32) -> Vec<u8> {
    encode(photo(width, height, seed), image::ImageFormat::Png)
}

fn encode(image: image::RgbImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let _ = image::DynamicImage::ImageRgb8(image).write_to(&mut out, format);
    out.into_inner()
}

/// A one-page PDF made with lopdf.
pub fn pdf() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let content = Stream::new(dictionary! {}, b"BT ET".to_vec());
    let content_id = doc.add_object(content);
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    let _ = doc.save_to(&mut out);
    out
}

/// The credential of `category` in an account response.
pub fn credential<'a>(account: &'a Value, category: &str) -> Result<&'a Value> {
    account["workflowExecution"]["credentials"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["category"] == category))
        .with_context(|| format!("no {category} credential in {account}"))
}

pub fn text<'a>(value: &'a Value, pointer: &str) -> Result<&'a str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .with_context(|| format!("no string at {pointer} in {value}"))
}

/// A photograph of an ID-like card: light background, coloured bands, a portrait area and
/// dark text strokes with sharp edges, as the usability check expects of a readable document.
pub fn document_photo(width: u32, height: u32, seed: u32) -> image::RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let mut card = image::RgbImage::from_pixel(width, height, image::Rgb([232, 226, 208]));
    let band = height / 7;
    for y in 0..band {
        for x in 0..width {
            card.put_pixel(x, y, image::Rgb([40, 70, 150]));
        }
    }
    let (photo_w, photo_h) = (width / 4, height / 2);
    for y in 0..photo_h {
        for x in 0..photo_w {
            let shade = (x * 120 / photo_w.max(1) + y * 80 / photo_h.max(1)) as u8;
            card.put_pixel(
                width / 20 + x,
                height / 4 + y,
                image::Rgb([150 + shade / 3, 110 + shade / 4, 90 + shade / 5]),
            );
        }
    }
    let line_height = height / 14;
    for line in 0..7 {
        let mut x = width / 3;
        let y0 = height / 4 + line * line_height;
        while x < width - width / 20 {
            let stroke = 4 + next() % 14;
            let glyph_height = line_height / 2;
            for dy in 0..glyph_height {
                for dx in 0..stroke.min(width - x) {
                    card.put_pixel(x + dx, y0 + dy, image::Rgb([25, 25, 35]));
                }
            }
            x += stroke + 3 + next() % 9;
        }
    }
    for pixel in card.pixels_mut() {
        let noise = (next() % 9) as i16 - 4;
        for channel in pixel.0.iter_mut() {
            *channel = (*channel as i16 + noise).clamp(0, 255) as u8;
        }
    }
    card
}

pub fn encode_jpeg(image: image::RgbImage) -> Vec<u8> {
    encode(image, image::ImageFormat::Jpeg)
}

/// Polls the status until it is `wanted` (processing runs in the background), at most 60 s.
pub async fn wait_for_status(server: &TestServer, status_href: &str, wanted: &str) -> Result<()> {
    for _ in 0..600 {
        let body = ok_json(
            server
                .tenant(reqwest::Method::GET, status_href)
                .send()
                .await?,
        )
        .await?;
        if body["workflowExecution"]["status"] == wanted {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("{status_href} never became {wanted}")
}

/// One received callback: its headers and raw body.
pub type Received = (axum::http::HeaderMap, Vec<u8>);

/// A real HTTP receiver on loopback that records callbacks and answers with the statuses it is
/// given, in order (then 200).
pub struct Receiver {
    pub url: String,
    pub received: Arc<std::sync::Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start(answers: Vec<u16>) -> Result<Self> {
        let received = Arc::new(std::sync::Mutex::new(Vec::new()));
        let answers = Arc::new(std::sync::Mutex::new(std::collections::VecDeque::from(
            answers,
        )));
        let (log, script) = (received.clone(), answers.clone());
        let app = axum::Router::new().route(
            "/callback",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let (log, script) = (log.clone(), script.clone());
                    async move {
                        log.lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push((headers, body.to_vec()));
                        let status = script
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .pop_front()
                            .unwrap_or(200);
                        axum::http::StatusCode::from_u16(status)
                            .unwrap_or(axum::http::StatusCode::OK)
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/callback", listener.local_addr()?);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            url,
            received,
            task,
        })
    }

    pub fn count(&self) -> usize {
        self.received.lock().map(|r| r.len()).unwrap_or(0)
    }

    pub fn all(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Waits (at most 30 s) until `count` callbacks arrived.
    pub async fn wait_for(&self, count: usize) -> Result<()> {
        for _ in 0..300 {
            if self.count() >= count {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        anyhow::bail!("{} callbacks arrived, expected {count}", self.count())
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A capability entry's decision type and label.
pub fn decision_of(entry: &Value) -> (String, String) {
    let field = |pointer: &str| {
        entry
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    (field("/decision/type"), field("/decision/details/label"))
}

pub fn pair(kind: &str, label: &str) -> (String, String) {
    (kind.to_owned(), label.to_owned())
}

/// The workflow token in a `web.href` or v4 `redirectUrl`, as the web client reads it.
pub fn authorization_token(href: &str) -> Result<String> {
    url::Url::parse(href)?
        .query_pairs()
        .find(|(name, _)| name == "authorizationToken")
        .map(|(_, value)| value.into_owned())
        .context("authorizationToken in the URL")
}
