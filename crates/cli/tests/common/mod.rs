//! Running the built `verifyd` as an operator does, shared by the CLI's test binaries.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

/// The binary in `dir`, with none of the test's own `VERIFYD_*` variables or log filter.
pub fn verifyd(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_verifyd"));
    command.current_dir(dir).env_remove("RUST_LOG");
    for (key, _) in std::env::vars() {
        if key.starts_with("VERIFYD_") {
            command.env_remove(key);
        }
    }
    command
}

/// Starts `command` (a `serve`) and waits until it says where it listens; the child must be
/// killed by the caller.
pub fn listening(mut command: Command) -> Result<(std::process::Child, String)> {
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
        .recv_timeout(std::time::Duration::from_secs(30))
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
