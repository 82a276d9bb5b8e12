//! Starting and stopping the server.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use verifyd_analysers::inspector::EngineInspector;
use verifyd_analysers::sandbox::PdfSandbox;
use verifyd_analysers::{AnalyserSettings, CpuPool, ImageLimits};
use verifyd_domain::clock::{Clock, SystemClock};
use verifyd_domain::random::Random;
use verifyd_domain::rules::rate_limit::RateLimits;
use verifyd_domain::sealed_secret::SealError;
use verifyd_domain::service::ServerSecret;
use verifyd_domain::{DomainError, Policy, Verifyd};

use crate::auth::ClientVerifier;
use crate::background::{Background, Loops, WatchedDir};
use crate::callbacks::MasterKey;
use crate::config::Settings;
use crate::links::Links;
use crate::listener::{self, ConnectionLimits};
use crate::master_key::KeyOrigin;
use crate::random::OsRandom;
use crate::state::AppState;
use crate::telemetry::{self, Metrics};
use crate::tokens::TokenKeys;
use verifyd_domain::envelope::Envelope;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Storage(#[from] verifyd_storage::StorageError),
    #[error(transparent)]
    Domain(#[from] verifyd_domain::DomainError),
    #[error(transparent)]
    MasterKey(#[from] crate::master_key::MasterKeyError),
    /// The database's server secrets were sealed under another master key. (`sealed` is not
    /// named `source`, so that the message is not repeated by error chains.)
    #[error(
        "{sealed}, which is {origin}: the database was sealed with another master key. Start \
         with the installation's own key (master_key_file or VERIFYD_MASTER_KEY); verifyd never \
         replaces a sealed secret with a new one"
    )]
    WrongMasterKey {
        sealed: SealError,
        origin: KeyOrigin,
    },
    /// The OCR or face models are missing or do not load.
    #[error(transparent)]
    Models(#[from] verifyd_analysers::ModelError),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: SocketAddr,
        source: std::io::Error,
    },
}

/// The ports the server runs with; tests replace the clock.
pub struct Runtime {
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
}

impl Default for Runtime {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            random: Arc::new(OsRandom),
        }
    }
}

/// Opens storage and builds the domain from the settings (shared by `serve` and the CLI).
pub async fn open_domain(
    settings: &Settings,
    runtime: &Runtime,
) -> Result<Arc<Verifyd>, StartError> {
    let key = installation_key(settings, runtime)?;
    open_domain_with_key(settings, runtime, &key).await
}

/// Makes every file this process creates from now on private to the service user (before any
/// is created: see `verifyd_storage::private_files`), then finds the installation's master key.
pub fn installation_key(settings: &Settings, runtime: &Runtime) -> Result<MasterKey, StartError> {
    verifyd_storage::private_files::make_new_files_private();
    Ok(MasterKey::configured(settings, runtime.random.as_ref())?)
}

async fn open_domain_with_key(
    settings: &Settings,
    runtime: &Runtime,
    key: &MasterKey,
) -> Result<Arc<Verifyd>, StartError> {
    let envelope = Envelope::new(&key.keyring(), runtime.random.clone());
    let repository = verifyd_storage::open_repository(
        &settings.database_url()?,
        &settings.repository_options(),
        envelope,
    )
    .await?;
    let blobs = verifyd_storage::open_blob_store(
        &settings.blob_store_url()?,
        &settings.blob_store_options(),
    )?;
    let limits = &settings.limits;
    let inspector = EngineInspector::new(
        analyser_settings(settings).limits,
        Duration::from_millis(limits.inspection_timeout_ms),
        PdfSandbox::new(settings.pdf_inspector()?),
        cpu_pool(settings),
    );
    let policy = Policy {
        allow_local_urls: settings.allow_local_urls,
        session_timeout: chrono::Duration::seconds(limits.session_timeout_seconds),
        max_upload_bytes: limits.max_upload_bytes,
    };
    Ok(Arc::new(
        Verifyd::new(
            repository,
            blobs,
            Arc::new(inspector),
            runtime.clock.clone(),
            runtime.random.clone(),
            key.keyring(),
            policy,
        )
        .with_screener(Arc::new(verifyd_analysers::screening::IndexScreener::new())),
    ))
}

/// Opens the server's sealed secrets (made on the first start): the token-signing key, and the
/// facemap key so that a worker finds out now, not at its first facemap. A secret that does not
/// open with this master key stops the start, naming where the key came from.
async fn open_server_secrets(verifyd: &Verifyd, key: &MasterKey) -> Result<[u8; 32], StartError> {
    let opened = |error: DomainError| match error {
        DomainError::ServerSecret(sealed @ SealError::WrongKey { .. }) => {
            StartError::WrongMasterKey {
                sealed,
                origin: key.origin().clone(),
            }
        }
        other => StartError::Domain(other),
    };
    verifyd
        .sealed_server_secret(ServerSecret::FacemapSealing)
        .await
        .map_err(opened)?;
    verifyd
        .sealed_server_secret(ServerSecret::TokenSigning)
        .await
        .map_err(opened)
}

pub struct RunningServer {
    pub local_addr: SocketAddr,
    pub base_url: String,
    /// The address of the separate metrics listener (`metrics.listen`), if there is one.
    pub metrics_addr: Option<SocketAddr>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    metrics_listener: Option<MetricsListener>,
    background: Background,
}

/// Starts the background loops; models load once per process, and only where processing runs.
/// Their jobs and callbacks are counted by no metrics: `start` and `run_workers` count them.
pub fn spawn_background(
    verifyd: &Arc<Verifyd>,
    settings: &Settings,
    loops: Loops,
    base_url: &str,
    key: MasterKey,
) -> Result<Background, StartError> {
    let metrics = Arc::new(Metrics::off());
    spawn_background_counted(verifyd, settings, loops, base_url, key, &metrics)
}

fn spawn_background_counted(
    verifyd: &Arc<Verifyd>,
    settings: &Settings,
    loops: Loops,
    base_url: &str,
    key: MasterKey,
    metrics: &Arc<Metrics>,
) -> Result<Background, StartError> {
    let analysers = if loops.workers > 0 {
        verifyd_analysers::available_in(&analyser_settings(settings), cpu_pool(settings))?
    } else {
        Default::default()
    };
    Ok(Background::spawn(
        verifyd, settings, loops, analysers, base_url, key, metrics,
    ))
}

/// The separate metrics listener (`metrics.listen`), served in a task of its own.
struct MetricsListener {
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl MetricsListener {
    /// Listens on `metrics.listen`, if it is set, serving `GET /metrics` alone.
    async fn start(
        settings: &Settings,
        verifyd: &Arc<Verifyd>,
        metrics: &Arc<Metrics>,
    ) -> Result<Option<(Self, SocketAddr)>, StartError> {
        let Some(address) = settings.metrics.listen else {
            return Ok(None);
        };
        let listen_error = |source| StartError::Listen { address, source };
        let listener = TcpListener::bind(address).await.map_err(listen_error)?;
        let local_addr = listener.local_addr().map_err(listen_error)?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(listener::serve(
            listener,
            telemetry::router(verifyd.clone(), metrics.clone()),
            connection_limits(settings),
            async {
                let _ = stopped.await;
            },
        ));
        tracing::info!(%local_addr, "verifyd metrics listening");
        Ok(Some((Self { shutdown, task }, local_addr)))
    }

    async fn stop(self) -> std::io::Result<()> {
        let _ = self.shutdown.send(());
        self.task.await.unwrap_or(Ok(()))
    }
}

fn connection_limits(settings: &Settings) -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout: Duration::from_millis(settings.limits.header_read_timeout_ms),
        per_client: settings.limits.max_connections_per_client,
    }
}

/// What the analysers are told of the installation's settings.
pub fn analyser_settings(settings: &Settings) -> AnalyserSettings {
    AnalyserSettings {
        models_dir: settings.models_dir.clone(),
        limits: ImageLimits {
            max_dimension: settings.limits.max_image_dimension,
            min_longest_side: settings.limits.min_image_longest_side,
        },
        inspection_timeout: Duration::from_millis(settings.limits.inspection_timeout_ms),
        job_timeout: Duration::from_secs(settings.processing.job_timeout_seconds),
        cpu_slots: settings.processing.cpu_slots,
    }
}

/// The process's one pool of CPU slots: upload inspection (API) and the analysers (workers)
/// of one process share it, sized by the first settings that ask (a process serves one
/// installation; tests' servers in one process share it too, which only bounds them).
fn cpu_pool(settings: &Settings) -> CpuPool {
    static POOL: OnceLock<CpuPool> = OnceLock::new();
    POOL.get_or_init(|| CpuPool::new(settings.processing.cpu_slots))
        .clone()
}

/// `verifyd worker`: processing only, until ctrl-c.
pub async fn run_workers(settings: Settings, runtime: Runtime) -> Result<(), StartError> {
    let key = installation_key(&settings, &runtime)?;
    let verifyd = open_domain_with_key(&settings, &runtime, &key).await?;
    open_server_secrets(&verifyd, &key).await?;
    let base_url = settings.base_url(settings.listen)?;
    let loops = Loops {
        workers: settings.processing.workers.max(1),
        purging: false,
    };
    // A worker has no main listener: its metrics are served on metrics.listen or not at all.
    let metrics = Arc::new(match settings.metrics.listen {
        Some(_) => Metrics::configured(&settings.metrics)?,
        None => Metrics::off(),
    });
    let metrics_listener = MetricsListener::start(&settings, &verifyd, &metrics).await?;
    let background =
        spawn_background_counted(&verifyd, &settings, loops, &base_url, key, &metrics)?;
    tracing::info!(workers = loops.workers, "verifyd worker running");
    let _ = tokio::signal::ctrl_c().await;
    background.stop().await;
    if let Some((listener, _)) = metrics_listener {
        let _ = listener.stop().await;
    }
    Ok(())
}

impl RunningServer {
    /// Stops accepting connections, lets requests in flight finish, and waits for the server.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let served = self.task.await.unwrap_or(Ok(()));
        if let Some(metrics) = self.metrics_listener.take() {
            let _ = metrics.stop().await;
        }
        self.background.stop().await;
        served
    }

    /// Runs until the server stops by itself (it only does on error) or ctrl-c.
    pub async fn wait(mut self) -> std::io::Result<()> {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => self.stop().await,
            result = &mut self.task => {
                if let Some(metrics) = self.metrics_listener.take() {
                    let _ = metrics.stop().await;
                }
                self.background.stop().await;
                result.unwrap_or(Ok(()))
            }
        }
    }
}

pub async fn start(settings: Settings, runtime: Runtime) -> Result<RunningServer, StartError> {
    let metrics = Arc::new(Metrics::configured(&settings.metrics)?);
    let key = installation_key(&settings, &runtime)?;
    let verifyd = open_domain_with_key(&settings, &runtime, &key).await?;
    let token_signing_key = open_server_secrets(&verifyd, &key).await?;
    let watched_lists = WatchedDir::open(&settings.screening)?;

    let listener =
        TcpListener::bind(settings.listen)
            .await
            .map_err(|source| StartError::Listen {
                address: settings.listen,
                source,
            })?;
    let local_addr = listener.local_addr().map_err(|source| StartError::Listen {
        address: settings.listen,
        source,
    })?;
    let base_url = settings.base_url(local_addr)?;

    let state = AppState {
        verifyd: verifyd.clone(),
        tokens: Arc::new(TokenKeys::new(&token_signing_key)),
        clients: ClientVerifier::default(),
        links: Arc::new(Links::new(&base_url)),
        limits: Arc::new(settings.limits.clone()),
        initiation_limits: Some(RateLimits {
            per_second: settings.limits.initiations_per_second,
            per_minute: settings.limits.initiations_per_minute,
        })
        .filter(|limits| limits.per_second > 0 || limits.per_minute > 0),
        metrics: metrics.clone(),
    };
    let router = crate::app::router(state);
    let metrics_listener = MetricsListener::start(&settings, &verifyd, &metrics).await?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(listener::serve(
        listener,
        router,
        connection_limits(&settings),
        async {
            let _ = stopped.await;
        },
    ));
    let loops = Loops {
        workers: settings.processing.workers,
        purging: true,
    };
    let mut background =
        spawn_background_counted(&verifyd, &settings, loops, &base_url, key, &metrics)?;
    if let Some(dir) = watched_lists {
        background.watch_lists(dir, &verifyd, &metrics);
    }
    tracing::info!(%local_addr, %base_url, "verifyd listening");
    let (metrics_listener, metrics_addr) = match metrics_listener {
        Some((listener, address)) => (Some(listener), Some(address)),
        None => (None, None),
    };
    Ok(RunningServer {
        local_addr,
        base_url,
        metrics_addr,
        shutdown: Some(shutdown),
        task,
        metrics_listener,
        background,
    })
}
