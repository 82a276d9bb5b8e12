//! The domain's operations, one file per resource. `Verifyd` holds the ports (repository, blob
//! store, inspector, clock, randomness), the keyring and the policy; the server calls nothing
//! else.

mod acquisition;
mod callbacks;
mod cluster;
mod deletion;
pub mod delivery;
mod document_processing;
mod document_retrieval;
pub mod document_verification;
mod document_web_client;
mod expiry;
mod faces;
pub mod id_types;
mod initiation;
mod monitoring;
mod netverify;
mod perform_netverify;
mod processing;
pub mod retention;
mod retrieval;
mod screening;
mod server_secrets;
mod tenants;
mod web_session;

use std::sync::Arc;

use chrono::Duration;
use verifyd_types::ErrorCode;

pub use acquisition::{
    Acquirer, PartAddress, PartContent, UploadMode, UploadReceipt, WorkflowGrant,
};
pub use document_web_client::{DocumentUploader, DocumentWebSession};
pub use initiation::Initiated;
pub use monitoring::MonitoringReport;
pub use netverify::TransactionKind;
pub use processing::jobs::JobReport;
pub use processing::{inspect_id, Inspection, Plan, Step, SEARCH_PATH};
pub use retrieval::ExecutionDetails;
pub use screening::{
    report_json, ImportOutcome, ImportReport, Screened, ScreeningFailure, ScreeningQuery,
    SearchDone, DEFAULT_MAX_SHRINK,
};
pub use server_secrets::ServerSecret;
pub use tenants::NewApiCredential;
pub use web_session::WebSession;

use crate::blob_store::BlobStore;
use crate::clock::Clock;
use crate::error::DomainError;
use crate::inspector::PartInspector;
use crate::keyring::Keyring;
use crate::model::{Caller, Scope};
use crate::random::Random;
use crate::repository::Repository;

/// Settings the rules depend on.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Development only: admit http, IP addresses and ports in callback/success/error URLs.
    pub allow_local_urls: bool,
    /// Idle time after which an acquisition session expires (the specification's 15 minutes).
    pub session_timeout: Duration,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            allow_local_urls: false,
            session_timeout: Duration::minutes(15),
            max_upload_bytes: 15 * 1024 * 1024,
        }
    }
}

pub struct Verifyd {
    repository: Arc<dyn Repository>,
    blobs: Arc<dyn BlobStore>,
    inspector: Arc<dyn PartInspector>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    /// The installation's keys: what the database holds is sealed or keyed with them.
    keyring: Keyring,
    policy: Policy,
    /// The facemap sealing key, read from the server's secrets once.
    facemap_sealing_key: std::sync::OnceLock<[u8; 32]>,
    /// This process among the nodes on the database (see `cluster`).
    node: uuid::Uuid,
    /// Watchlist screening; none makes it NOT_EXECUTED (see `screening`).
    screener: Option<Arc<dyn crate::screener::Screener>>,
}

impl Verifyd {
    pub fn new(
        repository: Arc<dyn Repository>,
        blobs: Arc<dyn BlobStore>,
        inspector: Arc<dyn PartInspector>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn Random>,
        keyring: Keyring,
        policy: Policy,
    ) -> Self {
        let node = crate::random::new_id(random.as_ref());
        // Every blob is sealed under its owner's data key, whoever stores it.
        let envelope = crate::envelope::Envelope::new(&keyring, random.clone());
        let blobs: Arc<dyn BlobStore> = Arc::new(crate::sealed_blobs::SealedBlobs::new(
            blobs,
            repository.clone(),
            envelope,
        ));
        Self {
            node,
            repository,
            blobs,
            inspector,
            clock,
            random,
            keyring,
            policy,
            facemap_sealing_key: std::sync::OnceLock::new(),
            screener: None,
        }
    }

    pub fn repository(&self) -> &Arc<dyn Repository> {
        &self.repository
    }

    pub fn blobs(&self) -> &Arc<dyn BlobStore> {
        &self.blobs
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn random(&self) -> &Arc<dyn Random> {
        &self.random
    }
}

fn require(caller: &Caller, scope: Scope) -> Result<(), DomainError> {
    if caller.has(scope) {
        Ok(())
    } else {
        Err(DomainError::Forbidden {
            code: ErrorCode::MissingScope,
            message: format!("these credentials lack the {scope} scope"),
        })
    }
}
