//! What the data directory gives away to someone who can read it: its files are the service
//! user's alone, and the database holds no usable signing key (the server's secrets are sealed
//! under the master key, which is not in the database).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::json;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use verifyd_domain::clock::Clock;
use verifyd_domain::model::Scope;
use verifyd_server::master_key::MasterKeySetting;
use verifyd_server::Runtime;
use verifyd_testkit::*;

const TOKEN_SIGNING_KEY: &str = "token-signing-key";

/// Every file and directory below `dir` (itself included) that its group or others may use.
fn shared_with_others(dir: &Path) -> Result<Vec<(PathBuf, u32)>> {
    let mut shared = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry?;
        let mode = entry.metadata()?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            shared.push((entry.into_path(), mode));
        }
    }
    Ok(shared)
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    if path.exists() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

fn database_file(server: &TestServer) -> PathBuf {
    server.settings.data_dir.join("verifyd.db")
}

async fn database(server: &TestServer, read_only: bool) -> Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(database_file(server))
        .read_only(read_only);
    Ok(SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?)
}

/// Every row of `server_secrets`, as someone who can read the database file sees it.
async fn stored_secrets(server: &TestServer) -> Result<Vec<(String, Vec<u8>)>> {
    let pool = database(server, true).await?;
    let rows = sqlx::query("SELECT name, value FROM server_secrets")
        .fetch_all(&pool)
        .await?;
    pool.close().await;
    rows.iter()
        .map(|row| Ok((row.try_get("name")?, row.try_get("value")?)))
        .collect()
}

async fn stored_signing_key(server: &TestServer) -> Result<Vec<u8>> {
    stored_secrets(server)
        .await?
        .into_iter()
        .find_map(|(name, value)| (name == TOKEN_SIGNING_KEY).then_some(value))
        .context("the token-signing key's row")
}

/// An access token of the test tenant with every scope, signed with `key` as the server signs
/// its own (crates/server/src/tokens.rs).
fn mint(server: &TestServer, key: &[u8]) -> Result<String> {
    let now = server.clock.now().timestamp();
    let claims = json!({
        "typ": "access",
        "sub": server.tenant.client_id,
        "ten": server.tenant.tenant_id,
        "iat": now,
        "exp": now + 3600,
        "scp": Scope::ALL.iter().map(|scope| scope.as_str()).collect::<Vec<_>>(),
    });
    Ok(jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(key),
    )?)
}

async fn issued_token(server: &TestServer) -> Result<String> {
    let response = server
        .http
        .post(server.url("/oauth2/token"))
        .basic_auth(&server.tenant.client_id, Some(&server.tenant.client_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await?;
    Ok(text(&ok_json(response).await?, "/access_token")?.to_owned())
}

/// How the server answers an account creation with `token`.
async fn answer_to(server: &TestServer, token: &str) -> Result<StatusCode> {
    Ok(server
        .bearer(token, Method::POST, "/api/v1/accounts")
        .json(&json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}}))
        .send()
        .await?
        .status())
}

#[tokio::test]
async fn the_data_directory_is_readable_by_the_service_user_only() -> Result<()> {
    let mut server = TestServer::start().await?;
    let account = server
        .create_account(json!({"customerInternalReference": "r", "workflowDefinition": {"key": 2}}))
        .await?;
    let id = credential(&account, "ID")?;
    server
        .upload_part(text(id, "/api/token")?, id, "front", jpeg(900, 600, 1))
        .await?;
    let data = server.settings.data_dir.clone();
    let db = database_file(&server);
    let wal = data.join("verifyd.db-wal");
    let master_key = data.join("master.key");
    for expected in [&db, &wal, &master_key] {
        anyhow::ensure!(expected.exists(), "{} exists", expected.display());
    }
    anyhow::ensure!(!server.blobs_containing("").is_empty(), "a blob is stored");
    assert_eq!(shared_with_others(&data)?, Vec::new());

    // An installation from before: its files were made 0644 and its directories 0755.
    server.halt().await?;
    let blobs = server.blob_dir();
    for (path, mode) in [(&data, 0o755), (&blobs, 0o755)] {
        set_mode(path, mode)?;
    }
    for path in [&db, &wal, &data.join("verifyd.db-shm"), &master_key] {
        set_mode(path, 0o644)?;
    }
    let server = server.restart_with(|_| {}).await?;
    for path in [&data, &blobs, &db, &master_key] {
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{} is {mode:o}", path.display());
    }
    assert_eq!(
        std::fs::metadata(&db)?.permissions().mode() & 0o777,
        0o600,
        "tightened, not emptied"
    );
    server.stop().await
}

#[tokio::test]
async fn the_database_holds_no_usable_signing_key() -> Result<()> {
    let server = TestServer::start().await?;
    let issued = issued_token(&server).await?;
    assert_eq!(answer_to(&server, &issued).await?, StatusCode::OK);

    let secrets = stored_secrets(&server).await?;
    let names: Vec<&str> = secrets.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&TOKEN_SIGNING_KEY), "{names:?}");
    for (name, value) in &secrets {
        let minted = mint(&server, value)?;
        assert_eq!(
            answer_to(&server, &minted).await?,
            StatusCode::UNAUTHORIZED,
            "a token signed with what {name} holds in the database"
        );
    }
    server.stop().await
}

#[tokio::test]
async fn tokens_stay_valid_across_a_restart() -> Result<()> {
    let server = TestServer::start().await?;
    let issued = issued_token(&server).await?;
    let sealed = stored_signing_key(&server).await?;
    let server = server.restart_with(|_| {}).await?;
    assert_eq!(answer_to(&server, &issued).await?, StatusCode::OK);
    assert_eq!(
        stored_signing_key(&server).await?,
        sealed,
        "the sealed key reopened, not replaced"
    );
    server.stop().await
}

#[tokio::test]
async fn a_master_key_from_the_settings_replaces_the_key_file() -> Result<()> {
    let key = base64::engine::general_purpose::STANDARD.encode([0x5a; 32]);
    let server = TestServer::start_with(|settings| {
        settings.master_key = Some(MasterKeySetting(key));
    })
    .await?;
    let issued = issued_token(&server).await?;
    let server = server.restart_with(|_| {}).await?;
    assert_eq!(answer_to(&server, &issued).await?, StatusCode::OK);
    assert!(
        !server.settings.data_dir.join("master.key").exists(),
        "no key file beside the data"
    );
    server.stop().await
}

#[tokio::test]
async fn a_signing_key_stored_in_clear_keeps_working_and_is_sealed_in_place() -> Result<()> {
    let mut server = TestServer::start().await?;
    // As a version before sealing left it: the key's 32 bytes themselves.
    server.halt().await?;
    let clear: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
    let pool = database(&server, false).await?;
    let updated = sqlx::query("UPDATE server_secrets SET value = ? WHERE name = ?")
        .bind(&clear[..])
        .bind(TOKEN_SIGNING_KEY)
        .execute(&pool)
        .await?;
    pool.close().await;
    assert_eq!(updated.rows_affected(), 1);

    let server = server.restart_with(|_| {}).await?;
    let earlier = mint(&server, &clear)?;
    assert_eq!(
        answer_to(&server, &earlier).await?,
        StatusCode::OK,
        "a token signed before the upgrade"
    );
    let stored = stored_signing_key(&server).await?;
    assert_ne!(stored.len(), clear.len(), "sealed in place");
    assert!(!stored.windows(clear.len()).any(|window| window == clear));
    assert_eq!(
        answer_to(&server, &mint(&server, &stored)?).await?,
        StatusCode::UNAUTHORIZED
    );

    let server = server.restart_with(|_| {}).await?;
    assert_eq!(
        answer_to(&server, &earlier).await?,
        StatusCode::OK,
        "the key sealed in place reopens"
    );
    server.stop().await
}

#[tokio::test]
async fn another_master_key_is_a_start_error_that_names_the_key_file() -> Result<()> {
    let mut server = TestServer::start().await?;
    let issued = issued_token(&server).await?;
    let signing_key = stored_signing_key(&server).await?;
    server.halt().await?;
    let key_file = server.settings.master_key_file()?;
    let installed = std::fs::read(&key_file)?;
    std::fs::write(&key_file, [5u8; 32])?;

    let started = verifyd_server::start(
        server.settings.clone(),
        Runtime {
            clock: server.clock.clone(),
            random: std::sync::Arc::new(verifyd_server::random::OsRandom),
        },
    )
    .await;
    let message = match started {
        Ok(running) => {
            running.stop().await?;
            anyhow::bail!("the server started with another master key")
        }
        Err(error) => error.to_string(),
    };
    assert!(
        message.contains(&key_file.display().to_string()),
        "{message}"
    );
    assert_eq!(
        stored_signing_key(&server).await?,
        signing_key,
        "no new key was made"
    );

    std::fs::write(&key_file, installed)?;
    let server = server.restart_with(|_| {}).await?;
    assert_eq!(answer_to(&server, &issued).await?, StatusCode::OK);
    server.stop().await
}
