//! The real `verifyd` binary as the CLI tests start it: a clean environment, and the address a
//! `serve` says it listens on.

#![allow(
    dead_code,
    reason = "each test binary that includes this module uses part of it"
)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result};

/// `verifyd` run in `dir`, with none of the test's own VERIFYD_* variables (it would read them
/// as its settings) apart from `VERIFYD_MODELS_DIR`, where the models are.
pub fn verifyd(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_verifyd"));
    command.current_dir(dir).env_remove("RUST_LOG");
    for (key, _) in std::env::vars() {
        if key.starts_with("VERIFYD_") && key != "VERIFYD_MODELS_DIR" {
            command.env_remove(key);
        }
    }
    command
}

/// Starts `command` (a `serve`) and waits (at most a minute) until it says where it listens:
/// the child, which the caller must kill, and its `HOST:PORT`.
pub fn listening(mut command: Command) -> Result<(Child, String)> {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().context("stderr")?;
    let (found, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("local_addr=").nth(1) {
                let _ = found.send(rest.split_whitespace().next().map(str::to_owned));
            }
        }
    });
    match listening
        .recv_timeout(Duration::from_secs(60))
        .ok()
        .flatten()
    {
        Some(address) => Ok((child, address)),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            anyhow::bail!("the server never said where it listens")
        }
    }
}
