//! `verifyd migrate` moves a single-node installation (SQLite and files) to PostgreSQL and S3,
//! as an operator would: populated through the real binary's API, copied while it still
//! serves, changed, stopped, copied again, copied a third time, and served from the new
//! storage by the real binary with the old master key, which must answer as the old one did.

mod binary;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command};

use anyhow::{Context, Result};
use binary::{listening, verifyd};
use reqwest::{Client, Method, RequestBuilder, StatusCode};
use serde_json::{json, Value};
use verifyd_engine::documents::mrz::MrzFormat;
use verifyd_testkit::{
    document_photo, encode_jpeg, rendered, ScratchPostgres, SeaweedFs, ACCESS_KEY_ID, BUCKET,
    SECRET_ACCESS_KEY,
};

/// Both installations hand out links to this address, as a load balancer's would be.
const BASE_URL: &str = "https://verify.example";

/// A `verifyd serve` of the real binary, reached directly at its own address.
struct Node {
    child: Child,
    address: String,
    http: Client,
    client_id: String,
    client_secret: String,
}

impl Node {
    fn start(mut command: Command, credentials: &Value) -> Result<Self> {
        command
            .env("VERIFYD_LISTEN", "127.0.0.1:0")
            .env("VERIFYD_LIMITS__INITIATIONS_PER_SECOND", "0")
            .env("VERIFYD_LIMITS__INITIATIONS_PER_MINUTE", "0")
            .arg("serve");
        let (child, address) = listening(command)?;
        Ok(Self {
            child,
            address,
            http: Client::builder()
                .user_agent("Acme Onboarding/1.0 (migrate test)")
                .build()?,
            client_id: credentials["clientId"]
                .as_str()
                .context("clientId")?
                .to_owned(),
            client_secret: credentials["clientSecret"]
                .as_str()
                .context("clientSecret")?
                .to_owned(),
        })
    }

    /// An href the API answered (under the public base URL) or a path, on this node.
    fn url(&self, href: &str) -> String {
        format!(
            "http://{}{}",
            self.address,
            href.strip_prefix(BASE_URL).unwrap_or(href)
        )
    }

    fn tenant(&self, method: Method, href: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(href))
            .basic_auth(&self.client_id, Some(&self.client_secret))
    }

    async fn ok(&self, request: RequestBuilder) -> Result<Value> {
        let response = request.send().await?;
        let status = response.status();
        let body = response.text().await?;
        anyhow::ensure!(status == StatusCode::OK, "{status}: {body}");
        Ok(serde_json::from_str(&body)?)
    }

    async fn create_account(&self, reference: &str) -> Result<Value> {
        let body =
            json!({"customerInternalReference": reference, "workflowDefinition": {"key": 2}});
        self.ok(self.tenant(Method::POST, "/api/v1/accounts").json(&body))
            .await
    }

    /// Uploads `front` to the account's ID credential; answers its token and execution href.
    async fn upload_front(&self, account: &Value, front: Vec<u8>) -> Result<(String, String)> {
        let id = account["workflowExecution"]["credentials"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["category"] == "ID"))
            .with_context(|| format!("no ID credential in {account}"))?;
        let text = |pointer: &str| {
            id.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .with_context(|| format!("no {pointer} in {id}"))
        };
        let token = text("/api/token")?;
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(front).file_name("front"),
        );
        let upload = self
            .http
            .post(self.url(&text("/api/parts/front")?))
            .bearer_auth(&token)
            .multipart(form);
        self.ok(upload).await?;
        Ok((token, text("/api/workflowExecution")?))
    }

    async fn finalize_and_wait(&self, token: &str, execution: &str) -> Result<()> {
        self.ok(self.http.put(self.url(execution)).bearer_auth(token))
            .await?;
        let status = format!("{execution}/status");
        // Processing runs in the background; the models take a few seconds to load.
        for _ in 0..1200 {
            let answer = self.ok(self.tenant(Method::GET, &status)).await?;
            if answer["workflowExecution"]["status"] == "PROCESSED" {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        anyhow::bail!("{execution} never became PROCESSED")
    }

    async fn delete_account(&self, account: &Value) -> Result<()> {
        let id = account["account"]["id"].as_str().context("account id")?;
        let response = self
            .tenant(Method::DELETE, &format!("/api/v1/accounts/{id}"))
            .send()
            .await?;
        anyhow::ensure!(response.status().is_success(), "{}", response.status());
        Ok(())
    }

    /// What the API answers about `account`: the account, its execution and status, and the
    /// bytes of every part the execution's details link to (an error's status alone: its body
    /// carries the request's own tracking id).
    async fn answers(&self, account: &Value) -> Result<BTreeMap<String, Answer>> {
        let account_id = account["account"]["id"].as_str().context("account id")?;
        let execution_id = account["workflowExecution"]["id"]
            .as_str()
            .context("execution id")?;
        let execution = format!("/api/v1/accounts/{account_id}/workflow-executions/{execution_id}");
        let mut answers = BTreeMap::new();
        for href in [
            format!("/api/v1/accounts/{account_id}"),
            execution.clone(),
            format!("{execution}/status"),
        ] {
            let answer = self.answer(&href).await?;
            if let Answer::Json(body) = &answer {
                let mut parts = Vec::new();
                part_hrefs(body, &mut parts);
                for part in parts {
                    let bytes = self.answer(&part).await?;
                    answers.insert(part, bytes);
                }
            }
            answers.insert(href, answer);
        }
        Ok(answers)
    }

    async fn answer(&self, href: &str) -> Result<Answer> {
        let response = self.tenant(Method::GET, href).send().await?;
        let status = response.status();
        let json = response
            .headers()
            .get("content-type")
            .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
        let body = response.bytes().await?;
        Ok(match (status, json) {
            (StatusCode::OK, true) => Answer::Json(serde_json::from_slice(&body)?),
            (StatusCode::OK, false) => Answer::Bytes(body.to_vec()),
            (status, _) => Answer::Error(status.as_u16()),
        })
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, PartialEq)]
enum Answer {
    Json(Value),
    Bytes(Vec<u8>),
    Error(u16),
}

/// Every href in `value` that names a stored part (an image's bytes).
fn part_hrefs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(href) if href.contains("/credentials/") && href.contains("/parts/") => {
            found.push(href.clone());
        }
        Value::Array(items) => items.iter().for_each(|item| part_hrefs(item, found)),
        Value::Object(fields) => fields.values().for_each(|item| part_hrefs(item, found)),
        _ => {}
    }
}

fn passport() -> Result<Vec<u8>> {
    let (specimen, _) = rendered(MrzFormat::Td3, |read| {
        ["FRA", "NLD", "GBR"].contains(&read.issuing_state.as_str())
            && read.document_code.starts_with('P')
            && read.expiry_date.is_some_and(|d| d.year >= 2030)
    })?;
    let mut png = std::io::Cursor::new(Vec::new());
    specimen.image.write_to(&mut png, image::ImageFormat::Png)?;
    Ok(png.into_inner())
}

fn run(mut command: Command) -> Result<std::process::Output> {
    let output = command.output()?;
    Ok(output)
}

/// A run of `verifyd migrate` that must succeed; its report.
fn migrate(dir: &Path, config: &Path, args: &[String]) -> Result<String> {
    let mut command = verifyd(dir);
    command
        .arg("--config")
        .arg(config)
        .arg("migrate")
        .args(args);
    let started = std::time::Instant::now();
    let output = run(command)?;
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    eprintln!(
        "verifyd migrate took {:.2} s:\n{report}",
        started.elapsed().as_secs_f64()
    );
    anyhow::ensure!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(report)
}

/// The report's table lines: table -> (rows, SHA-256).
fn tables(report: &str) -> BTreeMap<String, (u64, String)> {
    report
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                [table, rows, checksum]
                    if checksum.len() == 64 && checksum.chars().all(|c| c.is_ascii_hexdigit()) =>
                {
                    Some((
                        table.to_string(),
                        (rows.parse().ok()?, checksum.to_string()),
                    ))
                }
                _ => None,
            }
        })
        .collect()
}

/// The number just before `label` in the report.
fn count(report: &str, label: &str) -> Result<u64> {
    let before = report
        .split_once(label)
        .with_context(|| format!("no {label:?} in {report}"))?
        .0;
    let number = before
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .context("a number")?;
    Ok(number.parse()?)
}

/// Every file below `root`, as a blob key.
fn blob_files(root: &Path) -> BTreeSet<String> {
    verifyd_testkit::files_below(root)
        .into_iter()
        .filter_map(|path| Some(path.strip_prefix(root).ok()?.to_string_lossy().into_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_moves_a_live_installation_to_postgres_and_s3_and_the_api_answers_the_same(
) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let old = dir.path().join("data");
    let created = run({
        let mut command = verifyd(dir.path());
        command.args(["tenant", "create", "acme"]);
        command
    })?;
    anyhow::ensure!(created.status.success(), "{created:?}");
    let credentials: Value = serde_json::from_slice(&created.stdout)?;
    let narrower = run({
        let mut command = verifyd(dir.path());
        command.args([
            "credentials",
            "create",
            "--tenant",
            "acme",
            "--scope",
            "retrieve",
        ]);
        command
    })?;
    anyhow::ensure!(narrower.status.success(), "{narrower:?}");
    // A watchlist (the 17-entry OFAC sample): lists move with the records.
    let sample = verifyd_testkit::screening_data()?.join("ofac-sample");
    let imported = run({
        let mut command = verifyd(dir.path());
        command
            .args(["screening", "import"])
            .args(["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"].map(|f| sample.join(f)));
        command
    })?;
    anyhow::ensure!(imported.status.success(), "{imported:?}");

    let mut old_node = verifyd(dir.path());
    old_node.env("VERIFYD_PUBLIC_BASE_URL", BASE_URL);
    let old_node = Node::start(old_node, &credentials)?;

    // Two processed executions (a passport read, a photo of no document), one waiting for
    // its upload, one with an upload not yet finalized, and one deleted.
    let passport_account = old_node.create_account("passport").await?;
    let (token, execution) = old_node
        .upload_front(&passport_account, passport()?)
        .await?;
    old_node.finalize_and_wait(&token, &execution).await?;
    let photo_account = old_node.create_account("photo").await?;
    let (token, execution) = old_node
        .upload_front(&photo_account, encode_jpeg(document_photo(1280, 810, 7)))
        .await?;
    old_node.finalize_and_wait(&token, &execution).await?;
    let initiated = old_node.create_account("initiated").await?;
    let uploaded = old_node.create_account("uploaded").await?;
    old_node
        .upload_front(&uploaded, encode_jpeg(document_photo(1280, 810, 8)))
        .await?;
    let deleted = old_node.create_account("deleted").await?;
    old_node
        .upload_front(&deleted, encode_jpeg(document_photo(1280, 810, 9)))
        .await?;
    old_node.delete_account(&deleted).await?;
    // A Document Verification transaction with one page, still acquiring.
    let document = old_node
        .ok(old_node
            .tenant(Method::POST, "/api/netverify/v2/acquisitions")
            .json(&serde_json::json!({"type": "UB", "country": "USA", "merchantScanReference": "bill", "customerId": "customer"})))
        .await?;
    let reference = document["scanReference"]
        .as_str()
        .context("scanReference")?;
    let page = reqwest::multipart::Form::new().part(
        "image",
        reqwest::multipart::Part::bytes(encode_jpeg(document_photo(1280, 810, 10)))
            .file_name("page.jpg")
            .mime_str("image/jpeg")?,
    );
    old_node
        .ok(old_node
            .tenant(
                Method::POST,
                &format!("/api/netverify/v2/acquisitions/{reference}/document/pages/1"),
            )
            .multipart(page))
        .await?;

    let postgres = ScratchPostgres::create()?;
    let seaweedfs = SeaweedFs::start().await?;
    let blobs_to = format!("s3://{BUCKET}/verifyd/blobs");
    let config = dir.path().join("new.toml");
    std::fs::write(
        &config,
        format!(
            "database_url = {database:?}\nblob_store_url = {blobs_to:?}\n\
             public_base_url = {BASE_URL:?}\nmaster_key_file = {key:?}\ndata_dir = {data:?}\n\
             [blob_store_s3]\nendpoint = {endpoint:?}\naccess_key_id = {ACCESS_KEY_ID:?}\n\
             secret_access_key = {SECRET_ACCESS_KEY:?}\nallow_http = true\n",
            database = postgres.url(),
            key = old.join("master.key").display().to_string(),
            data = dir.path().join("new").display().to_string(),
            endpoint = seaweedfs.endpoint,
        ),
    )?;
    let args = vec![
        "--from".to_owned(),
        format!("sqlite://{}", old.join("verifyd.db").display()),
        "--to".to_owned(),
        postgres.url(),
        "--blobs-from".to_owned(),
        format!("file://{}/", old.join("blobs").display()),
        "--blobs-to".to_owned(),
        blobs_to.clone(),
    ];

    // While the old node serves.
    let first = migrate(dir.path(), &config, &args)?;
    let first_tables = tables(&first);
    assert_eq!(
        first_tables.get("accounts").map(|t| t.0),
        Some(4),
        "{first}"
    );
    assert_eq!(first_tables.get("tenants").map(|t| t.0), Some(1), "{first}");
    assert_eq!(
        first_tables.get("api_clients").map(|t| t.0),
        Some(2),
        "{first}"
    );
    assert_eq!(
        first_tables.get("watchlists").map(|t| t.0),
        Some(1),
        "{first}"
    );
    assert_eq!(
        first_tables.get("document_pages").map(|t| t.0),
        Some(1),
        "{first}"
    );
    assert!(
        first_tables.get("data_keys").is_some_and(|t| t.0 >= 4),
        "every account's data key is copied, or its data no longer opens: {first}"
    );
    assert_eq!(first_tables.len(), 25, "{first}");
    assert_eq!(count(&first, " already on the target")?, 0, "{first}");
    let first_copied = count(&first, " copied (")?;
    assert_eq!(first_copied, blob_files(&old.join("blobs")).len() as u64);
    assert!(
        first.contains(&format!(
            "master_key_file = \"{}\"",
            old.join("master.key").display()
        )),
        "{first}"
    );

    // Changes after the first run: an account deleted, another created with an upload.
    old_node.delete_account(&photo_account).await?;
    let late = old_node.create_account("late").await?;
    old_node
        .upload_front(&late, encode_jpeg(document_photo(1280, 810, 10)))
        .await?;
    let accounts = [
        &passport_account,
        &photo_account,
        &initiated,
        &uploaded,
        &deleted,
        &late,
    ];
    let mut before = Vec::new();
    for account in accounts {
        before.push(old_node.answers(account).await?);
    }
    old_node.stop();

    let second = migrate(dir.path(), &config, &args)?;
    let second_tables = tables(&second);
    assert_eq!(
        second_tables.get("accounts").map(|t| t.0),
        Some(4),
        "{second}"
    );
    assert_ne!(second_tables, first_tables, "the changes were copied");
    assert_eq!(
        count(&second, " copied (")?,
        1,
        "the late upload alone: {second}"
    );
    assert_eq!(
        count(&second, " already on the target")?,
        first_copied - 1,
        "{second}"
    );
    assert_eq!(
        count(&second, " deleted from the target")?,
        1,
        "the deleted account's upload: {second}"
    );

    // Nothing changed: nothing is copied, and the same rows and checksums are verified.
    let third = migrate(dir.path(), &config, &args)?;
    assert_eq!(tables(&third), second_tables, "{third}");
    assert_eq!(count(&third, " copied (")?, 0, "{third}");
    assert_eq!(count(&third, " deleted from the target")?, 0, "{third}");
    assert_eq!(
        count(&third, " already on the target")?,
        first_copied,
        "{third}"
    );

    // The target holds exactly the source's blobs, under its prefix.
    let store = verifyd_storage::open_object_blob_store(
        &blobs_to,
        &verifyd_storage::BlobStoreOptions {
            s3: seaweedfs.options(),
        },
    )?;
    let target_keys: BTreeSet<String> = store
        .keys()
        .await?
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    assert_eq!(target_keys, blob_files(&old.join("blobs")));

    let mut new_node = verifyd(dir.path());
    new_node.arg("--config").arg(&config);
    let new_node = Node::start(new_node, &credentials)?;
    for (account, before) in accounts.iter().zip(&before) {
        let after = new_node.answers(account).await?;
        assert_eq!(&after, before, "{}", account["account"]["id"]);
    }
    // What each account was: the comparison covers answers of every kind.
    let passport_answers = &before[0];
    assert!(passport_answers
        .values()
        .any(|answer| matches!(answer, Answer::Bytes(bytes) if !bytes.is_empty())));
    assert!(passport_answers.values().any(|answer| matches!(
        answer,
        Answer::Json(body) if body["workflowExecution"]["status"] == "PROCESSED"
    )));
    assert!(before[1]
        .values()
        .all(|answer| *answer == Answer::Error(404)));
    new_node.stop();
    Ok(())
}

/// What is not an installation to move from, or a place to move to, is refused before
/// anything is written, and a missing source is never created.
#[test]
fn migrate_refuses_what_it_cannot_move() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let missing = dir.path().join("nothing/verifyd.db");
    let refused = |args: &[&str]| -> Result<String> {
        let mut command = verifyd(dir.path());
        command.arg("migrate").args(args);
        let output = command.output()?;
        anyhow::ensure!(!output.status.success(), "{output:?}");
        Ok(String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let source = format!("sqlite://{}", missing.display());
    let stderr = refused(&["--from", &source, "--to", "sqlite:///tmp/other.db"])?;
    assert!(
        stderr.contains("--to must be a PostgreSQL database"),
        "{stderr}"
    );
    let stderr = refused(&[
        "--from",
        "postgres://postgres@127.0.0.1:5432/postgres",
        "--to",
        "postgres://postgres@127.0.0.1:5432/postgres",
    ])?;
    assert!(
        stderr.contains("--from must be the SQLite database"),
        "{stderr}"
    );
    let postgres = ScratchPostgres::create()?;
    let stderr = refused(&["--from", &source, "--to", &postgres.url()])?;
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(!missing.exists() && !missing.parent().is_some_and(Path::exists));
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"")?;
    let stderr = refused(&[
        "--from",
        &format!("sqlite://{}", empty.display()),
        "--to",
        "postgres://postgres@127.0.0.1:5432/verifyd_no_such_database",
    ])?;
    assert!(stderr.contains("the target database"), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    Ok(())
}
