//! The `verifyd` binary as an operator uses it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use anyhow::{Context, Result};
use serde_json::Value;

fn verifyd(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_verifyd"));
    command.current_dir(dir).env_remove("RUST_LOG");
    for (key, _) in std::env::vars() {
        if key.starts_with("VERIFYD_") {
            command.env_remove(key);
        }
    }
    command
}

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

#[test]
fn serve_listens_and_answers_health() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut child = verifyd(dir.path())
        .env("VERIFYD_LISTEN", "127.0.0.1:0")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let result = (|| -> Result<String> {
        let stderr = child.stderr.take().context("stderr")?;
        let (found, listening) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("local_addr=").nth(1) {
                    let _ = found.send(rest.split_whitespace().next().map(str::to_owned));
                }
            }
        });
        let address = listening
            .recv_timeout(std::time::Duration::from_secs(30))
            .ok()
            .flatten()
            .context("the server never said where it listens")?;
        let mut stream = TcpStream::connect(&address)?;
        stream.write_all(b"GET /health HTTP/1.1\r\nHost: verifyd\r\nUser-Agent: test\r\nConnection: close\r\n\r\n")?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        Ok(response)
    })();
    let _ = child.kill();
    let _ = child.wait();
    let response = result?;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"api\":\"UP\""), "{response}");
    Ok(())
}
