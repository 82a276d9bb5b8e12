//! The server side: start the child, hand it the bytes, read its verdict, kill it when time
//! is up.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use super::{Verdict, SUBCOMMAND};

/// The most bytes of a verdict read back; a real one is a short line.
const MAX_VERDICT: u64 = 4096;

#[derive(Debug, Clone)]
pub struct PdfSandbox {
    program: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot start the PDF inspector {program}: {source}")]
    Start {
        program: String,
        source: std::io::Error,
    },
    /// The child died (a resource limit, a crash) or said nothing readable.
    #[error("the PDF inspector ended without a verdict ({0})")]
    NoVerdict(String),
}

impl PdfSandbox {
    pub fn new(program: PathBuf) -> Self {
        Self { program }
    }

    /// Inspects `bytes` in a child process. Dropping the future (the inspection timeout) kills
    /// the child.
    pub async fn inspect(&self, bytes: &[u8]) -> Result<Verdict, SandboxError> {
        let mut child = Command::new(&self.program)
            .arg(SUBCOMMAND)
            // Nothing of the server's environment (keys in VERIFYD_* variables) reaches it.
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| SandboxError::Start {
                program: self.program.display().to_string(),
                source,
            })?;
        let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(SandboxError::NoVerdict("no pipes".to_owned()));
        };
        // Written while the answer is read, so that neither pipe can fill up and stall both.
        let write = async move {
            // A child that stops reading early (it died) breaks the pipe: its exit status
            // tells why.
            let _ = stdin.write_all(bytes).await;
        };
        let read = async move {
            let mut answer = Vec::new();
            let _ = stdout.take(MAX_VERDICT).read_to_end(&mut answer).await;
            answer
        };
        let ((), answer) = tokio::join!(write, read);
        let status = child
            .wait()
            .await
            .map_err(|error| SandboxError::NoVerdict(error.to_string()))?;
        if !status.success() {
            return Err(SandboxError::NoVerdict(status.to_string()));
        }
        serde_json::from_slice(&answer).map_err(|error| SandboxError::NoVerdict(error.to_string()))
    }
}
