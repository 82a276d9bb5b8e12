//! `GET /metrics`: what a Prometheus scrape of a real server reads after real requests, parsed
//! from the text format; who may scrape; and that no id reaches a label.

use std::collections::BTreeMap;
use std::time::Duration as StdDuration;

use anyhow::{bail, ensure, Context, Result};
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use verifyd_server::config::MetricsToken;
use verifyd_server::Settings;
use verifyd_testkit::*;

const TOKEN: &str = "a-metrics-token-of-at-least-32-characters";

fn with_token(settings: &mut Settings) {
    settings.metrics.token = Some(MetricsToken(TOKEN.to_owned()));
}

/// One sample line of the text format.
#[derive(Debug, Clone, PartialEq)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// A parsed scrape: its samples and the `# TYPE` of each family.
#[derive(Debug)]
struct Scrape {
    text: String,
    samples: Vec<Sample>,
    types: BTreeMap<String, String>,
}

impl Scrape {
    /// Parses the Prometheus text format (version 0.0.4): `# HELP` and `# TYPE` lines, and
    /// `name{label="value",…} value` lines with `\\`, `\"` and `\n` escaped in label values.
    fn parse(text: &str) -> Result<Self> {
        let mut samples = Vec::new();
        let mut types = BTreeMap::new();
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            if let Some(declared) = line.strip_prefix("# TYPE ") {
                let (name, kind) = declared.split_once(' ').context("a TYPE line")?;
                types.insert(name.to_owned(), kind.to_owned());
                continue;
            }
            if line.starts_with('#') {
                continue;
            }
            samples.push(parse_sample(line).with_context(|| format!("line {line:?}"))?);
        }
        Ok(Self {
            text: text.to_owned(),
            samples,
            types,
        })
    }

    /// The value of the one sample of `name` whose labels include `labels`; 0 when there is
    /// none (a counter that never moved is not written).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Result<f64> {
        let found: Vec<&Sample> = self
            .samples
            .iter()
            .filter(|sample| sample.name == name)
            .filter(|sample| {
                labels
                    .iter()
                    .all(|(key, value)| sample.labels.get(*key).map(String::as_str) == Some(*value))
            })
            .collect();
        match found.as_slice() {
            [] => Ok(0.0),
            [one] => Ok(one.value),
            many => bail!(
                "{} samples of {name} match {labels:?}: {many:?}",
                many.len()
            ),
        }
    }

    /// The samples of `name`.
    fn of(&self, name: &str) -> Vec<&Sample> {
        self.samples.iter().filter(|s| s.name == name).collect()
    }
}

fn parse_sample(line: &str) -> Result<Sample> {
    let (name, rest) = match line.find(['{', ' ']) {
        Some(at) => line.split_at(at),
        None => bail!("no value"),
    };
    let mut labels = BTreeMap::new();
    let mut rest = rest;
    if let Some(mut inner) = rest.strip_prefix('{') {
        loop {
            if let Some(after) = inner.strip_prefix('}') {
                rest = after;
                break;
            }
            let (key, after) = inner.split_once("=\"").context("a label")?;
            let mut value = String::new();
            let mut chars = after.char_indices();
            let end = loop {
                match chars.next() {
                    Some((_, '\\')) => match chars.next() {
                        Some((_, 'n')) => value.push('\n'),
                        Some((_, escaped)) => value.push(escaped),
                        None => bail!("an unfinished escape"),
                    },
                    Some((at, '"')) => break at,
                    Some((_, c)) => value.push(c),
                    None => bail!("an unfinished label value"),
                }
            };
            labels.insert(key.trim_start_matches(',').to_owned(), value);
            inner = after[end + 1..].trim_start_matches(',');
        }
    }
    let value = rest.split_whitespace().next().context("a value")?;
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other.parse()?,
    };
    Ok(Sample {
        name: name.to_owned(),
        labels,
        value,
    })
}

/// GET /metrics with the token; it must be 200 in the text format.
async fn scrape(server: &TestServer) -> Result<Scrape> {
    let response = server
        .http
        .get(server.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await?;
    ensure!(
        response.status() == StatusCode::OK,
        "scrape answered {}",
        response.status()
    );
    let content_type = response
        .headers()
        .get("content-type")
        .context("content-type")?
        .to_str()?
        .to_owned();
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
    Scrape::parse(&response.text().await?)
}

/// Scrapes until `done` holds (the deliverer records an attempt after the receiver answered).
async fn scrape_until(server: &TestServer, done: impl Fn(&Scrape) -> bool) -> Result<Scrape> {
    for _ in 0..100 {
        let scraped = scrape(server).await?;
        if done(&scraped) {
            return Ok(scraped);
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    bail!("the scrape never showed what was awaited")
}

/// True when `text` holds something shaped like a UUID (8-4-4-4-12 hex digits).
fn holds_a_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape = [8, 4, 4, 4, 12];
    (0..bytes.len()).any(|start| {
        let mut at = start;
        shape.iter().enumerate().all(|(n, &len)| {
            let group = bytes.get(at..at + len);
            let ok = group.is_some_and(|g| g.iter().all(u8::is_ascii_hexdigit));
            at += len;
            let dash = n == shape.len() - 1 || bytes.get(at) == Some(&b'-');
            at += 1;
            ok && dash
        })
    })
}

fn account_body(callback_url: &str) -> Value {
    json!({
        "customerInternalReference": "order-metrics",
        "userReference": "user-metrics",
        "workflowDefinition": {"key": 2},
        "callbackUrl": callback_url
    })
}

#[tokio::test]
async fn a_scrape_counts_requests_by_route_jobs_decisions_callbacks_and_refusals() -> Result<()> {
    let server = TestServer::builder()
        .workers(1)
        .configure(|settings| {
            with_token(settings);
            settings.limits.initiations_per_second = 3;
            settings.limits.initiations_per_minute = 180;
        })
        .start()
        .await?;
    let receiver = Receiver::start(Vec::new()).await?;

    // An execution processed and called back: a sharp photo of no document.
    let (account, token, execution) = server
        .id_with_front(
            account_body(&receiver.url),
            encode_jpeg(document_photo(1280, 810, 1)),
        )
        .await?;
    server.finalize(&token, &execution).await?;
    receiver.wait_for(1).await?;

    // Two more initiations in the same second, then the fourth is refused.
    for _ in 0..2 {
        server.create_account(account_body(&receiver.url)).await?;
    }
    let refused = server
        .tenant(Method::POST, "/api/v1/accounts")
        .json(&account_body(&receiver.url))
        .send()
        .await?;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);

    // A missing account, and a path no route matches, both 404.
    let missing = uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
    let not_found = server
        .tenant(Method::GET, &format!("/api/v1/accounts/{missing}"))
        .send()
        .await?;
    assert_eq!(not_found.status(), StatusCode::NOT_FOUND);
    let nowhere = server
        .http
        .get(server.url(&format!("/no/such/route/{missing}")))
        .send()
        .await?;
    assert_eq!(nowhere.status(), StatusCode::NOT_FOUND);

    let scraped = scrape_until(&server, |s| {
        s.value(
            "verifyd_callback_deliveries_total",
            &[("outcome", "delivered")],
        )
        .is_ok_and(|n| n == 1.0)
    })
    .await?;
    // VERIFYD_SHOW_SCRAPE=1 prints what a scrape reads (with --nocapture).
    if std::env::var_os("VERIFYD_SHOW_SCRAPE").is_some() {
        eprintln!("{}", scraped.text);
    }
    let requests = "verifyd_http_requests_total";
    let accounts = [("method", "POST"), ("route", "/api/v1/accounts")];
    assert_eq!(
        scraped.value(requests, &[accounts[0], accounts[1], ("status", "200")])?,
        3.0
    );
    assert_eq!(
        scraped.value(requests, &[accounts[0], accounts[1], ("status", "429")])?,
        1.0
    );
    assert_eq!(
        scraped.value(
            "verifyd_initiations_rate_limited_total",
            &[("route", "/api/v1/accounts")]
        )?,
        1.0
    );
    assert_eq!(
        scraped.value(
            requests,
            &[
                ("method", "GET"),
                ("route", "/api/v1/accounts/{accountId}"),
                ("status", "404")
            ]
        )?,
        1.0
    );
    assert_eq!(
        scraped.value(
            requests,
            &[("method", "GET"), ("route", "unmatched"), ("status", "404")]
        )?,
        1.0
    );
    // The upload and the finalize, each under its route's template.
    let uploads: Vec<_> = scraped
        .of(requests)
        .into_iter()
        .filter(|s| s.labels["route"].contains("/parts/"))
        .collect();
    assert_eq!(uploads.len(), 1, "{uploads:?}");
    assert_eq!(
        (
            uploads[0].labels["method"].as_str(),
            uploads[0].labels["status"].as_str(),
            uploads[0].value
        ),
        ("POST", "200", 1.0)
    );
    assert!(
        uploads[0].labels["route"].ends_with("/parts/{classifier}"),
        "{:?}",
        uploads[0].labels
    );
    let finalized: f64 = scraped
        .of(requests)
        .into_iter()
        .filter(|s| {
            s.labels["method"] == "PUT"
                && s.labels["route"].ends_with("/workflow-executions/{workflowExecutionId}")
        })
        .map(|s| s.value)
        .sum();
    assert_eq!(finalized, 1.0);

    // Latency: a histogram per method and route, every request in the +Inf bucket.
    let latency = "verifyd_http_request_duration_seconds";
    assert_eq!(
        scraped.types.get(latency).map(String::as_str),
        Some("histogram")
    );
    assert_eq!(
        scraped.types.get(requests).map(String::as_str),
        Some("counter")
    );
    assert_eq!(scraped.value(&format!("{latency}_count"), &accounts)?, 4.0);
    assert_eq!(
        scraped.value(
            &format!("{latency}_bucket"),
            &[accounts[0], accounts[1], ("le", "+Inf")]
        )?,
        4.0
    );
    assert!(scraped.value(&format!("{latency}_sum"), &accounts)? > 0.0);

    // The job, its steps and its decisions, by workflow 2.
    let workflow = ("workflow", "2");
    assert_eq!(
        scraped.value("verifyd_jobs_total", &[workflow, ("outcome", "completed")])?,
        1.0
    );
    assert_eq!(
        scraped.value(
            "verifyd_job_duration_seconds_count",
            &[workflow, ("outcome", "completed")]
        )?,
        1.0
    );
    for step in ["usability", "documents"] {
        assert_eq!(
            scraped.value(
                "verifyd_job_step_duration_seconds_count",
                &[workflow, ("step", step)]
            )?,
            1.0,
            "{step}"
        );
    }
    assert_eq!(
        scraped.value(
            "verifyd_decisions_total",
            &[
                workflow,
                ("capability", "usability"),
                ("decision", "REJECTED"),
                ("label", "NOT_A_DOCUMENT")
            ]
        )?,
        1.0
    );
    assert_eq!(
        scraped.value(
            "verifyd_decisions_total",
            &[
                workflow,
                ("capability", "extraction"),
                ("decision", "NOT_EXECUTED"),
                ("label", "PRECONDITION_NOT_FULFILLED")
            ]
        )?,
        1.0
    );
    assert_eq!(
        scraped.value(
            "verifyd_execution_decisions_total",
            &[
                workflow,
                ("decision", "REJECTED"),
                ("label", "NOT_A_DOCUMENT")
            ]
        )?,
        1.0
    );

    // Read from the database at the scrape: nothing waits now.
    assert_eq!(scraped.value("verifyd_database_up", &[])?, 1.0);
    assert_eq!(scraped.value("verifyd_jobs_due", &[])?, 0.0);
    assert_eq!(scraped.value("verifyd_jobs_leased", &[])?, 0.0);
    assert_eq!(
        scraped.value("verifyd_jobs_oldest_due_age_seconds", &[])?,
        0.0
    );
    assert_eq!(
        scraped.value(
            "verifyd_database_pool_max_connections",
            &[("pool", "writes")]
        )?,
        1.0
    );

    // No id of any kind, nor anything the tenant sent, reaches the output.
    for id in [
        text(&account, "/account/id")?,
        text(&account, "/workflowExecution/id")?,
        text(credential(&account, "ID")?, "/id")?,
        &missing.to_string(),
        &server.tenant.client_id,
    ] {
        assert!(!scraped.text.contains(id), "{id} in the scrape");
    }
    assert!(!holds_a_uuid(&scraped.text), "{}", scraped.text);
    for personal in ["order-metrics", "user-metrics", "acme"] {
        assert!(!scraped.text.contains(personal), "{personal} in the scrape");
    }
    server.stop().await
}

#[tokio::test]
async fn the_queue_gauges_show_a_waiting_job_and_how_long_it_has_waited() -> Result<()> {
    // No workers: a finalized execution's job waits.
    let server = TestServer::start_with(with_token).await?;
    let before = scrape(&server).await?;
    assert_eq!(before.value("verifyd_jobs_due", &[])?, 0.0);

    let body = json!({"customerInternalReference": "q", "workflowDefinition": {"key": 2}});
    let (_, token, execution) = server
        .id_with_front(body, encode_jpeg(document_photo(1280, 810, 2)))
        .await?;
    server.finalize(&token, &execution).await?;
    server.advance(Duration::seconds(90));

    let waiting = scrape(&server).await?;
    assert_eq!(waiting.value("verifyd_jobs_due", &[])?, 1.0);
    assert_eq!(waiting.value("verifyd_jobs_leased", &[])?, 0.0);
    assert_eq!(
        waiting.value("verifyd_jobs_oldest_due_age_seconds", &[])?,
        90.0
    );
    assert_eq!(waiting.value("verifyd_database_up", &[])?, 1.0);
    assert_eq!(
        waiting.types.get("verifyd_jobs_due").map(String::as_str),
        Some("gauge")
    );
    server.stop().await
}

#[tokio::test]
async fn without_the_token_a_scrape_is_refused() -> Result<()> {
    let server = TestServer::start_with(with_token).await?;
    let url = server.url("/metrics");
    let anonymous = server.http.get(&url).send().await?;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous
            .headers()
            .get("www-authenticate")
            .context("WWW-Authenticate")?,
        "Bearer"
    );
    let (_, body) = error_json(anonymous).await?;
    assert_eq!(body["code"], json!("UNAUTHORIZED"));
    let wrong = server
        .http
        .get(&url)
        .bearer_auth(format!("{TOKEN}x"))
        .send()
        .await?;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    // The tenant's API credentials are no metrics token.
    let tenant = server.tenant(Method::GET, "/metrics").send().await?;
    assert_eq!(tenant.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        server
            .http
            .get(&url)
            .bearer_auth(TOKEN)
            .send()
            .await?
            .status(),
        StatusCode::OK
    );
    // The scheme's name is case-insensitive (RFC 9110).
    let lower = server
        .http
        .get(&url)
        .header("authorization", format!("bearer {TOKEN}"))
        .send()
        .await?;
    assert_eq!(lower.status(), StatusCode::OK);
    server.stop().await
}

#[tokio::test]
async fn metrics_are_off_unless_configured() -> Result<()> {
    let server = TestServer::start().await?;
    let response = server
        .http
        .get(server.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await?;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(server.metrics_url(), None);
    server.stop().await?;

    let short = TestServer::start_with(|settings| {
        settings.metrics.token = Some(MetricsToken("too-short".to_owned()));
    })
    .await;
    let refused = short.err().context("a short token was accepted")?;
    assert!(
        format!("{refused:#}").contains("metrics.token"),
        "{refused:#}"
    );
    Ok(())
}

#[tokio::test]
async fn on_its_own_address_metrics_are_served_there_alone() -> Result<()> {
    let server = TestServer::start_with(|settings| {
        settings.metrics.listen = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    })
    .await?;
    let metrics_url = server.metrics_url().context("no metrics listener")?;
    assert_ne!(metrics_url, server.url("/metrics"));

    // The main listener does not serve them, with or without a token.
    let main = server.http.get(server.url("/metrics")).send().await?;
    assert_eq!(main.status(), StatusCode::NOT_FOUND);
    server
        .create_account(account_body("https://example.com/cb"))
        .await?;

    // The metrics listener needs no token, serves /metrics and nothing else, and counts the
    // main listener's requests.
    let served = server.http.get(&metrics_url).send().await?;
    assert_eq!(served.status(), StatusCode::OK);
    let scraped = Scrape::parse(&served.text().await?)?;
    assert_eq!(
        scraped.value(
            "verifyd_http_requests_total",
            &[("route", "/api/v1/accounts"), ("status", "200")]
        )?,
        1.0
    );
    assert_eq!(
        scraped.value(
            "verifyd_http_requests_total",
            &[("route", "/metrics"), ("status", "404")]
        )?,
        1.0
    );
    let elsewhere = server
        .http
        .get(metrics_url.replace("/metrics", "/health"))
        .send()
        .await?;
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
    server.stop().await
}

#[test]
fn the_parser_reads_escapes_and_infinities() -> Result<()> {
    let scraped = Scrape::parse(
        "# HELP x_total Help.\n# TYPE x_total counter\nx_total{a=\"q\\\"u\\\\o\\nte\",b=\"{,}\"} 3\ny_bucket{le=\"+Inf\"} 2\nz 1.5\n",
    )?;
    assert_eq!(scraped.types["x_total"], "counter");
    assert_eq!(scraped.samples[0].labels["a"], "q\"u\\o\nte");
    assert_eq!(scraped.value("x_total", &[("b", "{,}")])?, 3.0);
    assert_eq!(scraped.value("y_bucket", &[("le", "+Inf")])?, 2.0);
    assert_eq!(scraped.value("z", &[])?, 1.5);
    assert!(holds_a_uuid(
        "route=\"/a/12345678-9abc-def0-1234-56789abcdef0\""
    ));
    assert!(!holds_a_uuid("route=\"/api/v1/accounts/{accountId}\""));
    Ok(())
}
