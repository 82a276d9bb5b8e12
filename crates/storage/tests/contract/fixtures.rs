//! Builders for the records the checks store. Identifiers are fixed (`Uuid::from_u128`, a kind in
//! the top byte and a number in the low bits, so a failing assertion shows which record it is),
//! instants are offsets from one fixed moment, and every value is one of the domain's own model
//! types: a second backend stores exactly the same records.

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;
use verifyd_domain::facemap::FaceTemplate;
use verifyd_domain::model::{
    Account, ApiClient, ApiOptions, Category, Channel, Classifier, Credential, ExecutionApi,
    ExecutionCredential, ExecutionStatus, MediaType, Part, Scope, Tenant, WebSettings,
    WorkflowExecution,
};
use verifyd_domain::repository::{
    ClaimedJob, DocumentFingerprint, FaceEvidence, Job, LivenessChallenge, NewCallback,
    NewExecution, PutOutcome, Repository, SessionTouch,
};
use verifyd_domain::rules::workflow_definition::WorkflowKey;

/// The envelope every check's repository seals with: a fixed key-encryption key, and nonces
/// from a counter (distinct, as sealing needs, and reproducible).
pub fn envelope() -> verifyd_domain::envelope::Envelope {
    verifyd_domain::envelope::Envelope::new(
        &verifyd_domain::keyring::Keyring::derive(&[9; 32]),
        std::sync::Arc::new(Counter::default()),
    )
}

#[derive(Default)]
struct Counter(std::sync::atomic::AtomicU64);

impl verifyd_domain::random::Random for Counter {
    fn fill(&self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let next = self
                .0
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                .to_le_bytes();
            let length = chunk.len();
            chunk.copy_from_slice(&next[..length]);
        }
    }
}

/// Any failure of a check: a repository error, or a precondition the fixtures found broken.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// What every check returns; assertions fail by panicking, setup failures by `Err`.
pub type Outcome = Result<(), Error>;

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// 2024-05-01T12:00:00Z plus `seconds`: no check reads the wall clock.
pub fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::UNIX_EPOCH + TimeDelta::seconds(1_714_564_800 + seconds)
}

/// One millisecond (the storage precision) before `instant`: the last moment something is not due.
pub fn just_before(instant: DateTime<Utc>) -> DateTime<Utc> {
    instant - TimeDelta::milliseconds(1)
}

fn id(kind: u128, n: u128) -> Uuid {
    Uuid::from_u128((kind << 120) | n)
}

pub fn tenant_id(n: u128) -> Uuid {
    id(1, n)
}
pub fn account_id(n: u128) -> Uuid {
    id(2, n)
}
pub fn execution_id(n: u128) -> Uuid {
    id(3, n)
}
pub fn credential_id(n: u128) -> Uuid {
    id(4, n)
}
pub fn job_id(n: u128) -> Uuid {
    id(5, n)
}
pub fn callback_id(n: u128) -> Uuid {
    id(6, n)
}
/// A lease token: one per worker or deliverer in a check.
pub fn lease(n: u128) -> Uuid {
    id(7, n)
}

/// Stores tenant `n` with one API client holding every scope.
pub async fn add_tenant(repo: &dyn Repository, n: u128) -> Result<Uuid, Error> {
    let tenant = Tenant {
        id: tenant_id(n),
        name: format!("tenant-{n}"),
        accepted_id_types: None,
        callback_url: None,
        created_at: at(0),
    };
    let client = ApiClient {
        client_id: format!("client-{n}"),
        tenant_id: tenant.id,
        secret_hash: format!("$argon2id$fixture-{n}"),
        scopes: Scope::ALL.to_vec(),
        created_at: at(0),
    };
    repo.insert_tenant(&tenant, &client).await?;
    Ok(tenant.id)
}

/// An initiation as the domain stores it: by default a new account with one INITIATED KYX
/// execution of workflow 2, created at `at(0)`, whose token runs out an hour later.
pub struct Initiation {
    new: NewExecution,
}

impl Initiation {
    pub fn new(tenant: Uuid, account: Uuid, execution: Uuid) -> Result<Self, Error> {
        let definition_key = WorkflowKey::new(2).ok_or("workflow 2 is not defined")?;
        Ok(Self {
            new: NewExecution {
                account: Account {
                    id: account,
                    tenant_id: tenant,
                    created_at: at(0),
                    updated_at: at(0),
                },
                account_is_new: true,
                execution: WorkflowExecution {
                    id: execution,
                    account_id: account,
                    tenant_id: tenant,
                    definition_key,
                    api: ExecutionApi::Kyx,
                    status: ExecutionStatus::Initiated,
                    customer_internal_reference: format!("ref-{execution}"),
                    user_reference: Some(format!("user-{account}")),
                    reporting_criteria: None,
                    callback_url: Some("https://tenant.example/callback".to_owned()),
                    web: WebSettings::default(),
                    user_consent: None,
                    screening_properties: None,
                    options: ApiOptions::default(),
                    token_expires_at: at(HOUR),
                    session_expires_at: None,
                    created_at: at(0),
                    started_at: None,
                    acquired_at: None,
                    completed_at: None,
                    outcome: None,
                },
                credentials: Vec::new(),
            },
        })
    }

    /// The account exists already (account update rather than creation).
    pub fn on_existing_account(mut self) -> Self {
        self.new.account_is_new = false;
        self
    }

    pub fn created_at(mut self, instant: DateTime<Utc>) -> Self {
        self.new.execution.created_at = instant;
        self.new.account.updated_at = instant;
        if self.new.account_is_new {
            self.new.account.created_at = instant;
        }
        self
    }

    pub fn token_expires_at(mut self, instant: DateTime<Utc>) -> Self {
        self.new.execution.token_expires_at = instant;
        self
    }

    /// Started through the netverify v4 API, whose callbacks carry the result.
    pub fn netverify(mut self) -> Self {
        self.new.execution.api = ExecutionApi::NetverifyV4;
        self
    }

    /// A credential this execution acquires itself, next in position.
    pub fn credential(mut self, id: Uuid, category: Category) -> Self {
        let e = &self.new.execution;
        let position = u32::try_from(self.new.credentials.len()).unwrap_or(u32::MAX);
        self.new.credentials.push(ExecutionCredential {
            credential: Credential {
                id,
                tenant_id: e.tenant_id,
                account_id: e.account_id,
                execution_id: e.id,
                category,
                country: None,
                id_type: None,
                chosen: None,
                created_at: e.created_at,
            },
            position,
            allowed_channels: vec![Channel::Web, Channel::Api],
        });
        self
    }

    /// Inserts it; returns the execution exactly as stored.
    pub async fn store(mut self, repo: &dyn Repository) -> Result<WorkflowExecution, Error> {
        let created_at = self.new.execution.created_at;
        for linked in &mut self.new.credentials {
            linked.credential.created_at = created_at;
        }
        repo.insert_execution(&self.new).await?;
        Ok(self.new.execution)
    }

    /// The record as built, for checks that expect the insert to be refused.
    pub fn record(&self) -> &NewExecution {
        &self.new
    }
}

/// A JPEG part of a credential, uploaded at `created_at`.
pub fn part(credential: Uuid, classifier: Classifier, created_at: DateTime<Utc>) -> Part {
    Part {
        credential_id: credential,
        classifier,
        blob_key: format!("blobs/{credential}/{classifier}"),
        media_type: MediaType::Jpeg,
        size_bytes: 4096,
        width: Some(640),
        height: Some(480),
        created_at,
    }
}

/// The session touch of an acquisition action at `now`: the session then ends 15 minutes later.
pub fn touch(execution: Uuid, now: DateTime<Utc>) -> SessionTouch {
    SessionTouch {
        execution,
        now,
        session_expires_at: now + TimeDelta::minutes(15),
    }
}

/// Uploads `part` to `execution` as acquisition does; fails unless it was stored.
pub async fn upload(repo: &dyn Repository, execution: Uuid, part: &Part) -> Result<(), Error> {
    match repo
        .put_part(part, false, &touch(execution, part.created_at))
        .await?
    {
        PutOutcome::Stored { .. } => Ok(()),
        other => Err(format!("uploading {} to {execution}: {other:?}", part.classifier).into()),
    }
}

/// Finalizes `execution` at `when` with a processing job due at once; fails unless it moved.
pub async fn finalize(
    repo: &dyn Repository,
    execution: Uuid,
    job: Uuid,
    when: DateTime<Utc>,
) -> Result<Job, Error> {
    let job = Job {
        id: job,
        kind: "process",
        execution_id: execution,
        run_at: when,
        created_at: when,
    };
    if !repo.finalize(execution, when, &job, None).await? {
        return Err(format!("{execution} was not INITIATED").into());
    }
    Ok(job)
}

/// The outcome processing records: the checks only need it to round-trip.
pub fn outcome() -> serde_json::Value {
    serde_json::json!({ "decision": { "type": "PASSED", "details": { "label": "OK" } } })
}

/// Processes `execution` as a worker would: claims the due job at `when` under `token` and
/// completes it at once with `callback` and `documents`. Fails if another job came first.
pub async fn process(
    repo: &dyn Repository,
    execution: Uuid,
    token: Uuid,
    when: DateTime<Utc>,
    callback: Option<&NewCallback>,
    documents: &[DocumentFingerprint],
) -> Result<ClaimedJob, Error> {
    let claimed = repo
        .claim_job(when, when + TimeDelta::minutes(5), token)
        .await?
        .ok_or("no job was due")?;
    if claimed.execution_id != execution {
        return Err(format!("claimed the job of {}", claimed.execution_id).into());
    }
    if !repo
        .complete_processing(&claimed, &outcome(), when, callback, documents)
        .await?
    {
        return Err(format!("completing {execution} was refused").into());
    }
    Ok(claimed)
}

/// The callback reporting `status` of `execution`, queued at `created_at`.
pub fn callback(
    id: Uuid,
    execution: &WorkflowExecution,
    status: ExecutionStatus,
    created_at: DateTime<Utc>,
) -> NewCallback {
    NewCallback::for_execution(
        id,
        execution,
        status,
        "https://tenant.example/callback".to_owned(),
        created_at,
    )
}

/// A face template; `seed` is a dyadic fraction so that it survives any text round trip.
pub fn template(seed: f32) -> FaceTemplate {
    FaceTemplate {
        model: "sface-2021dec".to_owned(),
        embedding: vec![seed, 0.5, -0.25],
    }
}

pub fn evidence(
    execution: &WorkflowExecution,
    frames: &[u64],
    template: Option<FaceTemplate>,
    recorded_at: DateTime<Utc>,
) -> FaceEvidence {
    FaceEvidence {
        tenant_id: execution.tenant_id,
        account_id: execution.account_id,
        execution_id: execution.id,
        frame_fingerprints: frames.to_vec(),
        template,
        recorded_at,
    }
}

pub fn document(execution: &WorkflowExecution, fingerprint: &str) -> DocumentFingerprint {
    DocumentFingerprint {
        tenant_id: execution.tenant_id,
        account_id: execution.account_id,
        execution_id: execution.id,
        fingerprint: fingerprint.to_owned(),
    }
}

pub fn challenge(
    execution: &WorkflowExecution,
    credential: Uuid,
    issued_at: DateTime<Utc>,
) -> LivenessChallenge {
    LivenessChallenge {
        tenant_id: execution.tenant_id,
        credential_id: credential,
        turns: vec!["TURN_LEFT".to_owned(), "TURN_RIGHT".to_owned()],
        issued_at,
    }
}
