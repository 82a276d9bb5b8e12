//! Configuration: defaults, then an optional TOML file, then `VERIFYD_*` environment variables
//! (nested keys with `__`, e.g. `VERIFYD_LIMITS__MAX_UPLOAD_BYTES`). Unknown keys are an error, so
//! a misspelt setting is caught at start instead of silently ignored.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where the embedded defaults keep their files. It is the service user's alone: created
    /// mode 0700, an existing one tightened to it at start (see `verifyd_storage::private_files`).
    pub data_dir: PathBuf,
    /// Records; default `sqlite://{data_dir}/verifyd.db`; `postgres://` (or `postgresql://`)
    /// for a PostgreSQL database shared by several processes.
    pub database_url: Option<String>,
    /// The most connections this process holds to the database; default 10 on PostgreSQL
    /// (which keeps one more to listen for due jobs), 8 readers on SQLite (whose writes go
    /// through one connection).
    pub database_max_connections: Option<u32>,
    /// Images and documents; default `file://{data_dir}/blobs`. `s3://BUCKET[/PREFIX]` keeps
    /// them in an S3 or S3-compatible bucket (AWS, MinIO, SeaweedFS), reached as
    /// `blob_store_s3` and the `AWS_*` environment variables say.
    pub blob_store_url: Option<String>,
    pub blob_store_s3: BlobStoreS3,
    /// Base of every href in a response; default `http://{listen address}`.
    pub public_base_url: Option<String>,
    /// Development only: admit http, IP addresses and ports in callback/success/error URLs, and
    /// deliver callbacks to private and loopback addresses.
    pub allow_local_urls: bool,
    /// The installation's master key, as base64 of 32 bytes (`VERIFYD_MASTER_KEY`); when set,
    /// it takes precedence over `master_key_file`, which is then neither read nor made. It is
    /// the key-encryption key of the database: the server's secrets (token signing, facemap
    /// sealing) are stored sealed under a key derived from it, and document fingerprints are
    /// keyed with another, so that a copy of the database alone mints no token and reveals no
    /// document number. Given here, it can come from a secret store instead of a file beside
    /// the data. Every process of one installation must use the same key, and it must never
    /// change: a database sealed under one key does not start with another.
    pub master_key: Option<MasterKeySetting>,
    /// The master key's file when `master_key` is not set; default `{data_dir}/master.key`,
    /// created (32 random bytes, mode 0600) on first start. Callback signing secrets derive
    /// from the same key. Back it up with the database: without it, the database's sealed
    /// secrets do not open.
    pub master_key_file: Option<PathBuf>,
    /// The OCR models and ONNX Runtime that `scripts/fetch-models` installs; default
    /// `$VERIFYD_MODELS_DIR`, else `./models`, else the source tree's `models/`.
    pub models_dir: Option<PathBuf>,
    /// The program that parses uploaded PDFs in a child process, run as `PROGRAM inspect-pdf`
    /// (see `sandbox`); default: the running executable, the verifyd binary.
    pub pdf_inspector: Option<PathBuf>,
    pub limits: Limits,
    pub processing: Processing,
    pub metrics: Metrics,
    pub screening: Screening,
}

/// The `[screening]` table: the watched list directory of `verifyd serve` (docs/screening.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Screening {
    /// A directory whose subdirectories are lists: each subdirectory's files are imported
    /// together as one version of the list named after it, at start and whenever they change,
    /// as `verifyd screening import FILE... --list NAME` would. Unset: nothing is watched.
    pub watch_dir: Option<PathBuf>,
    /// The largest share of a list's entries an import from the watched directory may drop
    /// against the version in force (`--max-shrink` of the CLI).
    pub max_shrink: f64,
    /// How long a subdirectory's files must stay unchanged before they are imported, so that a
    /// file still being copied is not read half-written.
    pub settle_ms: u64,
}

impl Default for Screening {
    fn default() -> Self {
        Self {
            watch_dir: None,
            max_shrink: verifyd_domain::service::DEFAULT_MAX_SHRINK,
            settle_ms: 2000,
        }
    }
}

impl Screening {
    /// The watched directory, checked: it must be a directory, and `max_shrink` a share.
    pub fn watched_dir(&self) -> Result<Option<PathBuf>, ConfigError> {
        if !(0.0..=1.0).contains(&self.max_shrink) {
            return Err(ConfigError::Invalid(format!(
                "screening.max_shrink must be a share from 0 to 1, not {}",
                self.max_shrink
            )));
        }
        let Some(dir) = &self.watch_dir else {
            return Ok(None);
        };
        if !dir.is_dir() {
            return Err(ConfigError::Invalid(format!(
                "screening.watch_dir {} is not a directory",
                dir.display()
            )));
        }
        std::path::absolute(dir).map(Some).map_err(|error| {
            ConfigError::Invalid(format!("screening.watch_dir {}: {error}", dir.display()))
        })
    }
}

/// `GET /metrics`, in the Prometheus text format (docs/metrics.md). Off unless one of the two
/// is set: with `listen`, it is served on that address alone; with only `token`, on the main
/// listener to requests bearing the token. Both: on `listen`, to requests bearing the token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Metrics {
    /// A second address that serves `/metrics` and nothing else (a loopback or private address
    /// that only the scraper reaches); the main listener then answers `/metrics` with 404. It
    /// is served by `verifyd worker` too.
    pub listen: Option<SocketAddr>,
    /// The bearer token a scrape must send (`Authorization: Bearer …`), at least 32
    /// characters; best given as `VERIFYD_METRICS__TOKEN`. Only its SHA-256 digest is kept.
    pub token: Option<MetricsToken>,
}

/// The workers that process finalized workflow executions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Processing {
    /// Workers inside `verifyd serve`; 0 leaves processing to `verifyd worker` processes.
    pub workers: usize,
    /// The longest an idle worker waits before it looks for due jobs again (and the callback
    /// deliverer's pause); a job queued or given back wakes idle workers sooner: those of the
    /// same process, and on PostgreSQL those of every process.
    pub poll_interval_ms: u64,
    /// How long a claimed job stays a worker's; a dead worker's job is taken over after it.
    pub lease_seconds: i64,
    /// The longest one job may run before it is given back for a retry.
    pub job_timeout_seconds: u64,
    /// Heavy image work (upload inspection, quality, documents, faces) that may run at once
    /// in this process; unset: one per core.
    pub cpu_slots: Option<usize>,
}

impl Default for Processing {
    fn default() -> Self {
        Self {
            workers: 1,
            poll_interval_ms: 250,
            lease_seconds: 300,
            job_timeout_seconds: 120,
            cpu_slots: None,
        }
    }
}

/// The `[blob_store_s3]` table: how an `s3://` blob store is reached. Every key is optional and,
/// when set, overrides the AWS environment variable of the same meaning, which verifyd reads
/// otherwise (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_ALLOW_HTTP`, `AWS_VIRTUAL_HOSTED_STYLE_REQUEST`; also `AWS_SESSION_TOKEN` and the role
/// and instance credential providers). Ignored for a `file://` store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BlobStoreS3 {
    /// `http[s]://HOST[:PORT]` of an S3-compatible service; unset: AWS itself.
    pub endpoint: Option<String>,
    /// Unset: `us-east-1` (what SeaweedFS and MinIO accept by default).
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    /// A secret: `Debug` hides it, and nothing logs it.
    pub secret_access_key: Option<SecretSetting>,
    /// Admit an `http://` endpoint; unset: https only.
    pub allow_http: Option<bool>,
    /// Address the bucket as `BUCKET.HOST` (virtual-hosted style) instead of `HOST/BUCKET`;
    /// unset: path style, what SeaweedFS and MinIO serve without a domain of their own.
    pub virtual_hosted_style: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest upload (image, PDF, facemap), in bytes.
    pub max_upload_bytes: usize,
    /// Largest image side, in pixels.
    pub max_image_dimension: u32,
    /// An image's longest side must be over this many pixels.
    pub min_image_longest_side: u32,
    /// Longest time one upload's inspection (full decode) may take.
    pub inspection_timeout_ms: u64,
    /// Largest JSON request body, in bytes.
    pub max_json_bytes: usize,
    /// Idle time after which an acquisition session expires.
    pub session_timeout_seconds: i64,
    /// Initiations (account create/update) per tenant and second; 0 disables this window.
    pub initiations_per_second: usize,
    /// Initiations per tenant and minute; 0 disables this window.
    pub initiations_per_minute: usize,
    /// Longest time a client may take to send a request's headers (and to send the next
    /// request on a kept-alive connection); the connection is closed after it.
    pub header_read_timeout_ms: u64,
    /// Longest time a client may take to send a request's whole body, from the request's
    /// arrival; after it the answer is 408. A 15 MB upload at 2 Mbit/s takes a minute.
    pub body_read_timeout_ms: u64,
    /// Connections one client address may hold at once; further ones are closed on accept.
    /// Behind a reverse proxy all connections come from its address: raise it, or 0 (no cap).
    pub max_connections_per_client: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            database_max_connections: None,
            blob_store_url: None,
            blob_store_s3: BlobStoreS3::default(),
            public_base_url: None,
            allow_local_urls: false,
            master_key: None,
            master_key_file: None,
            models_dir: None,
            pdf_inspector: None,
            limits: Limits::default(),
            processing: Processing::default(),
            metrics: Metrics::default(),
            screening: Screening::default(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_upload_bytes: 15 * 1024 * 1024,
            max_image_dimension: 8000,
            min_image_longest_side: 300,
            inspection_timeout_ms: 10_000,
            max_json_bytes: 64 * 1024,
            session_timeout_seconds: 15 * 60,
            initiations_per_second: 3,
            initiations_per_minute: 180,
            header_read_timeout_ms: 10_000,
            body_read_timeout_ms: 120_000,
            max_connections_per_client: 128,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Loads the settings from `file` (if any) and the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::Invalid(format!(
                    "{} does not exist",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment.merge(
            Env::prefixed("VERIFYD_")
                .split("__")
                .ignore(&["config", "log"]),
        );
        figment
            .extract::<Settings>()
            .map_err(|error| ConfigError::Invalid(error.to_string()))
    }

    /// The database URL, defaulting to SQLite under the data directory.
    pub fn database_url(&self) -> Result<String, ConfigError> {
        match &self.database_url {
            Some(url) => Ok(url.clone()),
            None => Ok(format!(
                "sqlite://{}",
                self.absolute_data_dir()?.join("verifyd.db").display()
            )),
        }
    }

    /// Whether other hosts may run nodes on the same database (PostgreSQL): then nothing a node
    /// needs may be made per node (the master key, the base URL of links).
    pub fn shared_database(&self) -> bool {
        self.database_url
            .as_deref()
            .is_some_and(|url| url.starts_with("postgres://") || url.starts_with("postgresql://"))
    }

    /// The base URL of the links verifyd hands out: the `public_base_url` setting, else this
    /// node's own address, which only a single node may use.
    pub fn base_url(&self, local_addr: std::net::SocketAddr) -> Result<String, ConfigError> {
        match &self.public_base_url {
            Some(url) => Ok(url.clone()),
            None if self.shared_database() => Err(ConfigError::Invalid(
                "public_base_url (VERIFYD_PUBLIC_BASE_URL) must be set when the database is \
                 shared (postgres://): every node must hand out links to the same address, not \
                 its own"
                    .to_owned(),
            )),
            None => Ok(format!("http://{local_addr}")),
        }
    }

    /// How the records' database is opened, beyond its URL.
    pub fn repository_options(&self) -> verifyd_storage::RepositoryOptions {
        verifyd_storage::RepositoryOptions {
            max_connections: self.database_max_connections,
        }
    }

    /// The blob store URL, defaulting to files under the data directory.
    pub fn blob_store_url(&self) -> Result<String, ConfigError> {
        match &self.blob_store_url {
            Some(url) => Ok(url.clone()),
            None => {
                let dir = self.absolute_data_dir()?.join("blobs");
                url::Url::from_directory_path(&dir)
                    .map(|url| url.to_string())
                    .map_err(|()| {
                        ConfigError::Invalid(format!("{} is not a usable directory", dir.display()))
                    })
            }
        }
    }

    /// What `open_blob_store` needs besides the URL.
    pub fn blob_store_options(&self) -> verifyd_storage::BlobStoreOptions {
        let s3 = &self.blob_store_s3;
        verifyd_storage::BlobStoreOptions {
            s3: verifyd_storage::S3Options {
                endpoint: s3.endpoint.clone(),
                region: s3.region.clone(),
                access_key_id: s3.access_key_id.clone(),
                secret_access_key: s3.secret_access_key.as_ref().map(|secret| secret.0.clone()),
                allow_http: s3.allow_http,
                virtual_hosted_style: s3.virtual_hosted_style,
            },
        }
    }

    pub fn master_key_file(&self) -> Result<PathBuf, ConfigError> {
        match &self.master_key_file {
            Some(path) => Ok(path.clone()),
            None => Ok(self.absolute_data_dir()?.join("master.key")),
        }
    }

    pub fn pdf_inspector(&self) -> Result<PathBuf, ConfigError> {
        match &self.pdf_inspector {
            Some(path) => Ok(path.clone()),
            None => std::env::current_exe().map_err(|error| {
                ConfigError::Invalid(format!(
                    "cannot find the running program for pdf_inspector: {error}"
                ))
            }),
        }
    }

    /// The data directory, created (or tightened) private to the service user.
    fn absolute_data_dir(&self) -> Result<PathBuf, ConfigError> {
        verifyd_storage::private_files::private_dir(&self.data_dir).map_err(|error| {
            ConfigError::Invalid(format!(
                "cannot create data_dir {}: {error}",
                self.data_dir.display()
            ))
        })?;
        std::path::absolute(&self.data_dir).map_err(|error| {
            ConfigError::Invalid(format!("data_dir {}: {error}", self.data_dir.display()))
        })
    }
}

/// The `master_key` setting: base64 of 32 bytes. Its `Debug` hides it, so that printing the
/// settings never prints the key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MasterKeySetting(pub String);

impl std::fmt::Debug for MasterKeySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKeySetting(..)")
    }
}

/// A secret setting other than the master key (`blob_store_s3.secret_access_key`). Its `Debug`
/// hides it, so that printing the settings never prints it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretSetting(pub String);

impl std::fmt::Debug for SecretSetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretSetting(..)")
    }
}

/// The `metrics.token` setting. Its `Debug` hides it, so that printing the settings never
/// prints the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MetricsToken(pub String);

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn the_s3_table_reaches_the_blob_store_options() -> Outcome {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("verifyd.toml");
        std::fs::write(
            &file,
            r#"
blob_store_url = "s3://blobs/verifyd"

[blob_store_s3]
endpoint = "http://127.0.0.1:8333"
access_key_id = "AKIDEXAMPLE"
secret_access_key = "wJalrXUtnFEMI-secret"
allow_http = true
"#,
        )?;
        let settings = Settings::load(Some(&file))?;
        assert_eq!(
            settings.blob_store_url.as_deref(),
            Some("s3://blobs/verifyd")
        );
        let options = settings.blob_store_options().s3;
        assert_eq!(options.endpoint.as_deref(), Some("http://127.0.0.1:8333"));
        assert_eq!(options.access_key_id.as_deref(), Some("AKIDEXAMPLE"));
        assert_eq!(
            options.secret_access_key.as_deref(),
            Some("wJalrXUtnFEMI-secret")
        );
        assert_eq!(options.allow_http, Some(true));
        // Unset keys stay unset, so that the AWS_* variables still apply.
        assert_eq!(options.region, None);
        assert_eq!(options.virtual_hosted_style, None);
        Ok(())
    }

    #[test]
    fn the_secret_access_key_is_not_printed() {
        let settings = Settings {
            blob_store_s3: BlobStoreS3 {
                access_key_id: Some("AKIDEXAMPLE".to_owned()),
                secret_access_key: Some(SecretSetting("wJalrXUtnFEMI-secret".to_owned())),
                ..BlobStoreS3::default()
            },
            ..Settings::default()
        };
        for printed in [
            format!("{settings:?}"),
            format!("{settings:#?}"),
            format!("{:?}", settings.blob_store_options()),
        ] {
            assert!(!printed.contains("wJalrXUtnFEMI"), "{printed}");
            assert!(printed.contains("AKIDEXAMPLE"), "{printed}");
        }
    }

    #[test]
    fn the_watched_list_directory_must_be_a_directory_and_the_shrink_a_share() -> Outcome {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("verifyd.toml");
        let lists = dir.path().join("lists");
        std::fs::write(
            &file,
            format!(
                "[screening]\nwatch_dir = {:?}\nsettle_ms = 500\n",
                lists.display().to_string()
            ),
        )?;
        let settings = Settings::load(Some(&file))?;
        assert_eq!(settings.screening.settle_ms, 500);
        assert_eq!(settings.screening.max_shrink, 0.1);
        let missing = settings.screening.watched_dir();
        assert!(missing.is_err_and(|error| error.to_string().contains("is not a directory")));
        std::fs::create_dir(&lists)?;
        assert_eq!(settings.screening.watched_dir()?, Some(lists));
        let too_much = Screening {
            max_shrink: 1.5,
            ..settings.screening
        };
        assert!(too_much.watched_dir().is_err());
        assert_eq!(Screening::default().watched_dir()?, None);
        Ok(())
    }

    #[test]
    fn a_misspelt_s3_key_is_an_error() -> Outcome {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("verifyd.toml");
        std::fs::write(&file, "[blob_store_s3]\nsecret_key = \"x\"\n")?;
        assert!(Settings::load(Some(&file)).is_err());
        Ok(())
    }
}
