//! The `verifyd` binary as an operator uses it.

mod binary;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

use anyhow::{Context, Result};
use binary::{listening, verifyd};
use serde_json::Value;
use verifyd_engine::documents::mrz::MrzFormat;
use verifyd_testkit::{passport_bearing_seeded, rendered};

#[test]
fn tenant_and_credentials_create_print_one_json_object() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let output = verifyd(dir.path())
        .args(["tenant", "create", "acme"])
        .output()?;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let issued: Value = serde_json::from_slice(&output.stdout)?;
    let keys: Vec<&str> = issued
        .as_object()
        .context("object")?
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, vec!["clientId", "clientSecret", "tenantId"]);
    assert!(
        dir.path().join("data/verifyd.db").exists(),
        "the embedded default lives in ./data"
    );
    let database = std::fs::read(dir.path().join("data/verifyd.db"))?;
    let secret = issued["clientSecret"].as_str().context("secret")?;
    assert!(
        !database
            .windows(secret.len())
            .any(|window| window == secret.as_bytes()),
        "the secret must not be stored in clear"
    );

    let duplicate = verifyd(dir.path())
        .args(["tenant", "create", "acme"])
        .output()?;
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));

    let limited = verifyd(dir.path())
        .args([
            "credentials",
            "create",
            "--tenant",
            "acme",
            "--scope",
            "retrieve,delete",
        ])
        .output()?;
    assert!(
        limited.status.success(),
        "{}",
        String::from_utf8_lossy(&limited.stderr)
    );
    let limited: Value = serde_json::from_slice(&limited.stdout)?;
    assert_eq!(limited["tenantId"], issued["tenantId"]);
    assert_ne!(limited["clientId"], issued["clientId"]);

    let bad_scope = verifyd(dir.path())
        .args([
            "credentials",
            "create",
            "--tenant",
            "acme",
            "--scope",
            "everything",
        ])
        .output()?;
    assert!(!bad_scope.status.success());
    let narrowed = verifyd(dir.path())
        .args([
            "tenant",
            "accept-ids",
            "acme",
            r#"[{"countryCode":"NLD","idTypes":["PASSPORT"]}]"#,
        ])
        .output()?;
    assert!(
        narrowed.status.success(),
        "{}",
        String::from_utf8_lossy(&narrowed.stderr)
    );
    let unsupported = verifyd(dir.path())
        .args([
            "tenant",
            "accept-ids",
            "acme",
            r#"[{"countryCode":"USA","idTypes":["ID_CARD"]}]"#,
        ])
        .output()?;
    assert!(
        !unsupported.status.success(),
        "the USA issues no supported ID card"
    );
    let unknown_tenant = verifyd(dir.path())
        .args(["credentials", "create", "--tenant", "nobody"])
        .output()?;
    assert!(!unknown_tenant.status.success());
    Ok(())
}

/// `tenant retention` prints the tenant's data retention as JSON and changes what it is given;
/// a period of no days is refused, as is asking for one and for keeping forever at once.
#[test]
fn tenant_retention_shows_and_changes_the_period() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let retention = |args: &[&str]| -> Result<std::process::Output> {
        Ok(verifyd(dir.path())
            .args(["tenant", "retention", "acme"])
            .args(args)
            .output()?)
    };
    let printed = |output: std::process::Output| -> Result<Value> {
        anyhow::ensure!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(serde_json::from_slice(&output.stdout)?)
    };
    let created = verifyd(dir.path())
        .args(["tenant", "create", "acme"])
        .output()?;
    assert!(created.status.success());
    assert_eq!(
        printed(retention(&[])?)?,
        serde_json::json!({"days": 360, "deleteFraud": false})
    );
    assert_eq!(
        printed(retention(&["--days", "30", "--delete-fraud", "on"])?)?,
        serde_json::json!({"days": 30, "deleteFraud": true})
    );
    assert_eq!(
        printed(retention(&["--forever"])?)?,
        serde_json::json!({"days": null, "deleteFraud": true})
    );
    assert_eq!(
        printed(retention(&[])?)?,
        serde_json::json!({"days": null, "deleteFraud": true}),
        "kept"
    );
    assert!(!retention(&["--days", "0"])?.status.success());
    assert!(!retention(&["--days", "7", "--forever"])?.status.success());
    Ok(())
}

#[test]
fn unknown_configuration_keys_are_refused() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let by_env = verifyd(dir.path())
        .env("VERIFYD_LISTEN_ADRESS", "127.0.0.1:1")
        .args(["tenant", "create", "acme"])
        .output()?;
    assert!(!by_env.status.success());
    assert!(String::from_utf8_lossy(&by_env.stderr).contains("listen_adress"));

    let file = dir.path().join("verifyd.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:0\"\n[limits]\nmax_upload_byte = 5\n",
    )?;
    let by_file = verifyd(dir.path())
        .arg("--config")
        .arg(&file)
        .args(["tenant", "create", "acme"])
        .output()?;
    assert!(!by_file.status.success());
    assert!(String::from_utf8_lossy(&by_file.stderr).contains("max_upload_byte"));
    Ok(())
}

fn health(address: &str) -> Result<String> {
    let mut stream = TcpStream::connect(address)?;
    stream.write_all(
        b"GET /health HTTP/1.1\r\nHost: verifyd\r\nUser-Agent: test\r\nConnection: close\r\n\r\n",
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[test]
fn serve_listens_and_answers_health() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut command = verifyd(dir.path());
    command.env("VERIFYD_LISTEN", "127.0.0.1:0").arg("serve");
    let (mut child, address) = listening(command)?;
    let response = health(&address);
    let _ = child.kill();
    let _ = child.wait();
    let response = response?;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"api\":\"UP\""), "{response}");
    Ok(())
}

/// On a shared database (PostgreSQL) a node makes nothing of its own that the others would
/// not share: it is given the installation's master key and the public base URL, or it refuses
/// to start, saying which; given another key than the one the database was sealed with, it
/// refuses too.
#[test]
fn a_node_on_a_shared_database_needs_the_one_master_key_and_base_url() -> Result<()> {
    let database = verifyd_testkit::ScratchPostgres::create()?;
    let dir = tempfile::tempdir()?;
    let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let other_key = "HxwdHh8AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRo=";
    let node = |master_key: Option<&str>, base_url: Option<&str>| {
        let mut command = verifyd(dir.path());
        command
            .env("VERIFYD_LISTEN", "127.0.0.1:0")
            .env("VERIFYD_DATABASE_URL", database.url())
            .args(["serve", "--no-workers"]);
        if let Some(key) = master_key {
            command.env("VERIFYD_MASTER_KEY", key);
        }
        if let Some(url) = base_url {
            command.env("VERIFYD_PUBLIC_BASE_URL", url);
        }
        command
    };
    let refused = |mut command: Command| -> Result<String> {
        let output = command.output()?;
        assert!(!output.status.success());
        Ok(String::from_utf8_lossy(&output.stderr).into_owned())
    };

    let stderr = refused(node(None, Some("https://verify.example")))?;
    assert!(stderr.contains("master_key"), "{stderr}");
    assert!(
        !dir.path().join("data").join("master.key").exists() && !dir.path().join("data").exists(),
        "no key file was made"
    );
    let stderr = refused(node(Some(key), None))?;
    assert!(stderr.contains("public_base_url"), "{stderr}");

    let (mut child, address) = listening(node(Some(key), Some("https://verify.example")))?;
    let response = health(&address);
    let _ = child.kill();
    let _ = child.wait();
    let response = response?;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    let stderr = refused(node(Some(other_key), Some("https://verify.example")))?;
    assert!(stderr.contains("another master key"), "{stderr}");
    Ok(())
}

fn passport_file(dir: &std::path::Path) -> Result<(std::path::PathBuf, String)> {
    let (specimen, read) = rendered(MrzFormat::Td3, |read| {
        ["FRA", "NLD", "GBR"].contains(&read.issuing_state.as_str())
            && read.document_code.starts_with('P')
            && read.birth_date.is_some_and(|d| d.year <= 2000)
            && read.expiry_date.is_some_and(|d| d.year >= 2030)
    })?;
    let path = dir.join("passport.png");
    specimen.image.save(&path)?;
    Ok((path, read.document_number))
}

#[test]
fn inspect_prints_the_capabilities_processing_would_report() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (passport, number) = passport_file(dir.path())?;
    let output = verifyd(dir.path())
        .arg("inspect")
        .arg("--front")
        .arg(&passport)
        .output()?;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_slice(&output.stdout)?;
    for capability in ["usability", "imageChecks", "extraction", "dataChecks"] {
        assert_eq!(
            result["capabilities"][capability][0]["decision"]["type"], "PASSED",
            "{capability}: {result}"
        );
    }
    assert_eq!(
        result["capabilities"]["extraction"][0]["data"]["documentNumber"],
        Value::String(number)
    );

    // The type the caller requires decides what is supported.
    let output = verifyd(dir.path())
        .arg("inspect")
        .arg("--front")
        .arg(&passport)
        .args(["--type", "ID_CARD"])
        .output()?;
    let result: Value = serde_json::from_slice(&output.stdout)?;
    assert_eq!(
        result["capabilities"]["usability"][0]["decision"]["details"]["label"],
        "UNSUPPORTED_DOCUMENT_TYPE"
    );

    // A file that is no image is a clear error, not a verdict.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not an image")?;
    let output = verifyd(dir.path())
        .arg("inspect")
        .arg("--front")
        .arg(&text)
        .output()?;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("front:"), "{stderr}");
    Ok(())
}

/// A passport whose portrait is the face on the real photo `portrait`.
fn passport_with_portrait(dir: &std::path::Path, portrait: &str) -> Result<std::path::PathBuf> {
    let passport = passport_bearing_seeded(portrait, 5)?;
    let path = dir.join("passport-with-portrait.png");
    passport.image.save(&path)?;
    Ok(path)
}

#[test]
fn inspect_with_a_selfie_compares_it_with_the_portrait_and_never_passes_liveness() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let passport = passport_with_portrait(dir.path(), "obama2.jpg")?;
    let photos = verifyd_engine::faces::synthetic::test_photos_dir();
    for (selfie, similarity) in [
        ("obama3.jpg", ("PASSED", "MATCH")),
        ("biden.jpg", ("REJECTED", "NO_MATCH")),
    ] {
        let output = verifyd(dir.path())
            .arg("inspect")
            .arg("--front")
            .arg(&passport)
            .arg("--selfie")
            .arg(photos.join(selfie))
            .output()?;
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let result: Value = serde_json::from_slice(&output.stdout)?;
        let decision = |capability: &str| {
            let decision = &result["capabilities"][capability][0]["decision"];
            (
                decision["type"].as_str().unwrap_or_default().to_owned(),
                decision["details"]["label"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        };
        assert_eq!(
            decision("similarity"),
            (similarity.0.to_owned(), similarity.1.to_owned()),
            "{selfie}: {result}"
        );
        assert_eq!(
            decision("liveness"),
            ("WARNING".to_owned(), "LIVENESS_UNDETERMINED".to_owned()),
            "{selfie}: {result}"
        );
    }
    Ok(())
}
