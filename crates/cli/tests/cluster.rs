//! Several nodes of the real binary on one PostgreSQL database and one SeaweedFS, as a business
//! runs them behind a load balancer: two `verifyd serve --no-workers` API nodes and `verifyd
//! worker` processes, one of them killed (SIGKILL) in the middle of a job. Afterwards every
//! execution is PROCESSED and called back exactly once with a signature that verifies with the
//! installation's one key, every uploaded image is there, the initiation limit holds across both
//! API nodes, and a node given another master key refuses to start.

#![cfg(unix)]

mod binary;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use verifyd_testkit::{
    credential, document_photo, encode_jpeg, signature_verifies, text, Receiver, ScratchPostgres,
    SeaweedFs, ACCESS_KEY_ID, BUCKET, SECRET_ACCESS_KEY,
};

const MASTER_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const OTHER_KEY: &str = "HxwdHh8AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRo=";
/// What the load balancer's address would be: every href the nodes answer starts with it, and
/// the test sends each request to one node or the other in its place.
const PUBLIC_BASE: &str = "https://verify.example";
/// The cluster-wide initiation limit per tenant and minute.
const PER_MINUTE: usize = 10;
/// Executions processed through the cluster.
const EXECUTIONS: usize = 6;

/// The installation's one configuration file, shared by every node.
fn configuration(dir: &Path, database: &str, store: &SeaweedFs) -> Result<std::path::PathBuf> {
    let file = dir.join("verifyd.toml");
    std::fs::write(
        &file,
        format!(
            r#"listen = "127.0.0.1:0"
database_url = "{database}"
blob_store_url = "s3://{BUCKET}/cluster"
public_base_url = "{PUBLIC_BASE}"
master_key = "{MASTER_KEY}"
# The callback receiver is on loopback.
allow_local_urls = true

[blob_store_s3]
endpoint = "{endpoint}"
region = "us-east-1"
access_key_id = "{ACCESS_KEY_ID}"
secret_access_key = "{SECRET_ACCESS_KEY}"
allow_http = true

[processing]
workers = 1
# A killed worker's job is taken over this soon.
lease_seconds = 5
poll_interval_ms = 200

[limits]
initiations_per_second = 0
initiations_per_minute = {PER_MINUTE}
"#,
            endpoint = store.endpoint,
        ),
    )?;
    Ok(file)
}

/// `verifyd --config FILE ARGS...` in `dir`.
fn verifyd(dir: &Path, config: &Path) -> Command {
    let mut command = binary::verifyd(dir);
    command.arg("--config").arg(config);
    command
}

fn json_of(mut command: Command) -> Result<Value> {
    let output = command.output()?;
    if !output.status.success() {
        bail!("{}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// A process of the cluster, killed (SIGKILL) when dropped.
struct Node {
    child: Child,
    /// `http://127.0.0.1:PORT` for an API node.
    base: Option<String>,
}

impl Node {
    /// `serve --no-workers`, once it says where it listens.
    fn api(mut command: Command) -> Result<Self> {
        command.args(["serve", "--no-workers"]);
        let (child, address) = binary::listening(command)?;
        Ok(Self {
            child,
            base: Some(format!("http://{address}")),
        })
    }

    fn worker(mut command: Command) -> Result<Self> {
        command.arg("worker");
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(Self { child, base: None })
    }

    /// SIGKILL: no shutdown, no lease given back.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The tenant's client against the cluster: `node` picks the API node of each request, as a
/// load balancer would.
struct Client {
    http: reqwest::Client,
    nodes: Vec<String>,
    id: String,
    secret: String,
}

impl Client {
    /// `href` (absolute under [`PUBLIC_BASE`], or a path) on API node `node`.
    fn url(&self, node: usize, href: &str) -> String {
        let path = href.strip_prefix(PUBLIC_BASE).unwrap_or(href);
        format!("{}{path}", self.nodes[node % self.nodes.len()])
    }

    fn basic(&self, node: usize, method: Method, href: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(node, href))
            .basic_auth(&self.id, Some(&self.secret))
    }

    fn bearer(
        &self,
        node: usize,
        token: &str,
        method: Method,
        href: &str,
    ) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(node, href))
            .bearer_auth(token)
    }
}

async fn ok(response: reqwest::Response) -> Result<Value> {
    let status = response.status();
    let body = response.text().await?;
    if !status.is_success() {
        bail!("{status}: {body}");
    }
    Ok(serde_json::from_str(&body)?)
}

/// Polls `condition` every 200 ms for at most `limit`.
async fn eventually<F, Fut>(limit: Duration, what: &str, mut condition: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if condition().await? {
            return Ok(());
        }
        if tokio::time::Instant::now() >= deadline {
            bail!("{what}: not within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn count(pool: &PgPool, query: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(query).fetch_one(pool).await?)
}

/// One execution: (account id, execution id, credential id, the front's bytes).
type Execution = (String, String, String, Vec<u8>);

/// Creates an account on one node, uploads its front through the other and finalizes it on the
/// first.
async fn submit(client: &Client, node: usize, callback: &str, seed: u32) -> Result<Execution> {
    let account = ok(client
        .basic(node, Method::POST, "/api/v1/accounts")
        .json(&json!({
            "customerInternalReference": format!("cluster-{seed}"),
            "workflowDefinition": {"key": 2},
            "callbackUrl": callback,
        }))
        .send()
        .await?)
    .await?;
    let credential = credential(&account, "ID")?;
    let token = text(credential, "/api/token")?;
    let front = encode_jpeg(document_photo(1280, 810, seed));
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(front.clone()).file_name("front.jpg"),
    );
    ok(client
        .bearer(
            node + 1,
            token,
            Method::POST,
            text(credential, "/api/parts/front")?,
        )
        .multipart(form)
        .send()
        .await?)
    .await?;
    let finalize = text(credential, "/api/workflowExecution")?;
    ok(client
        .bearer(node, token, Method::PUT, finalize)
        .send()
        .await?)
    .await?;
    Ok((
        text(&account, "/account/id")?.to_owned(),
        text(&account, "/workflowExecution/id")?.to_owned(),
        text(credential, "/id")?.to_owned(),
        front,
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_api_nodes_and_two_workers_lose_nothing_and_do_nothing_twice() -> Result<()> {
    let database = ScratchPostgres::create()?;
    let store = SeaweedFs::start().await?;
    let dir = tempfile::tempdir()?;
    let config = configuration(dir.path(), &database.url(), &store)?;
    let node = || verifyd(dir.path(), &config);
    let receiver = Receiver::start(Vec::new()).await?;

    let mut create = node();
    create.args(["tenant", "create", "acme"]);
    let acme = json_of(create)?;
    let mut create = node();
    create.args(["tenant", "create", "burst"]);
    let burst = json_of(create)?;
    let mut show = node();
    show.args(["tenant", "callback", "acme"]);
    let signing = json_of(show)?;
    let secret = text(&signing, "/callbackSecret")?.to_owned();

    let api = [Node::api(node())?, Node::api(node())?];
    let nodes: Vec<String> = api.iter().filter_map(|n| n.base.clone()).collect();
    let http = reqwest::Client::builder()
        .user_agent("Acme Onboarding/1.0 (cluster test)")
        .build()?;
    let client = |issued: &Value| -> Result<Client> {
        Ok(Client {
            http: http.clone(),
            nodes: nodes.clone(),
            id: text(issued, "/clientId")?.to_owned(),
            secret: text(issued, "/clientSecret")?.to_owned(),
        })
    };
    let acme = client(&acme)?;
    let burst = client(&burst)?;

    let mut executions = Vec::new();
    for seed in 0..EXECUTIONS {
        executions.push(submit(&acme, seed, &receiver.url, seed as u32 + 1).await?);
    }

    // One worker takes a job; it is killed while the job is leased to it.
    let pool = PgPool::connect(&database.url()).await?;
    let mut first = Node::worker(node())?;
    eventually(Duration::from_secs(60), "a worker leases a job", || async {
        Ok(count(
            &pool,
            "SELECT count(*) FROM jobs WHERE lease_until IS NOT NULL",
        )
        .await?
            > 0)
    })
    .await?;
    first.kill();
    let leased_when_killed = count(
        &pool,
        "SELECT count(*) FROM jobs WHERE lease_until IS NOT NULL",
    )
    .await?;
    assert!(leased_when_killed > 0, "the worker died holding a job");
    let _workers = [Node::worker(node())?, Node::worker(node())?];

    eventually(
        Duration::from_secs(300),
        "every callback delivered",
        || async {
            Ok(count(&pool, "SELECT count(*) FROM jobs").await? == 0
                && count(
                    &pool,
                    "SELECT count(*) FROM callbacks WHERE delivered_at IS NULL",
                )
                .await?
                    == 0
                && receiver.count() >= EXECUTIONS)
        },
    )
    .await?;

    // Exactly one callback per execution, each signed with the installation's key.
    let received = receiver.all();
    let mut by_execution: BTreeMap<String, usize> = BTreeMap::new();
    for (headers, body) in &received {
        let signature = headers
            .get("x-verifyd-signature")
            .context("a signature")?
            .to_str()?;
        assert!(signature_verifies(&secret, signature, body), "{signature}");
        let callback: Value = serde_json::from_slice(body)?;
        assert_eq!(callback["workflowExecution"]["status"], json!("PROCESSED"));
        *by_execution
            .entry(text(&callback, "/workflowExecution/id")?.to_owned())
            .or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = executions
        .iter()
        .map(|(_, execution, _, _)| (execution.clone(), 1))
        .collect();
    assert_eq!(by_execution, expected, "one callback per execution");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM callbacks").await?,
        EXECUTIONS as i64
    );

    // Both nodes answer PROCESSED, and serve every image as it was uploaded.
    for (account, execution, credential, front) in &executions {
        for node in 0..2 {
            let status = ok(acme
                .basic(
                    node,
                    Method::GET,
                    &format!("/api/v1/accounts/{account}/workflow-executions/{execution}/status"),
                )
                .send()
                .await?)
            .await?;
            assert_eq!(status["workflowExecution"]["status"], json!("PROCESSED"));
            let image = acme
                .basic(
                    node,
                    Method::GET,
                    &format!("/api/v1/accounts/{account}/credentials/{credential}/parts/FRONT"),
                )
                .send()
                .await?;
            assert_eq!(image.status(), StatusCode::OK);
            assert!(
                image.bytes().await?.as_ref() == front.as_slice(),
                "the front of {account}"
            );
        }
    }

    // The initiation limit is the cluster's: spread over both nodes, PER_MINUTE pass in all.
    let mut answers: BTreeMap<(usize, u16), usize> = BTreeMap::new();
    for attempt in 0..PER_MINUTE * 2 + 4 {
        let response = burst
            .basic(attempt, Method::POST, "/api/v1/accounts")
            .json(&json!({"customerInternalReference": format!("burst-{attempt}"), "workflowDefinition": {"key": 2}}))
            .send()
            .await?;
        *answers
            .entry((attempt % 2, response.status().as_u16()))
            .or_default() += 1;
    }
    let admitted: usize = answers
        .iter()
        .filter(|((_, status), _)| *status == 200)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(admitted, PER_MINUTE, "{answers:?}");
    for node in 0..2 {
        assert!(
            answers.contains_key(&(node, 429)),
            "node {node}: {answers:?}"
        );
        assert!(
            answers.contains_key(&(node, 200)),
            "node {node}: {answers:?}"
        );
    }
    assert_eq!(
        answers
            .keys()
            .filter(|(_, s)| *s != 200 && *s != 429)
            .count(),
        0,
        "{answers:?}"
    );

    // A node given another master key refuses to start, naming the problem.
    let mut stranger = node();
    stranger
        .env("VERIFYD_MASTER_KEY", OTHER_KEY)
        .args(["serve", "--no-workers"]);
    let output = stranger.output()?;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("another master key"), "{stderr}");

    drop(api);
    pool.close().await;
    Ok(())
}
