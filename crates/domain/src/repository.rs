//! The records' storage, as the domain needs it. Every query is scoped by tenant where a tenant's
//! caller reaches it, and every state change that must be atomic is one method.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::model::{
    AcceptedCountry, Account, ApiClient, Classifier, Credential, DocumentChoice,
    DocumentExtraction, DocumentPage, DocumentSource, DocumentVerification, ExecutionApi,
    ExecutionCredential, ExecutionStatus, Part, Retention, Tenant, WorkflowExecution,
};
use crate::rules::rate_limit::RateLimits;
use crate::rules::workflow_definition::WorkflowKey;

/// Work done periodically by whichever node's turn it is: once per interval across every node
/// that shares the database, not once per node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodicTask {
    /// Expiring executions whose token or session ran out.
    ExpirySweep,
    /// Finishing blob deletions that a crash or an outage interrupted.
    BlobPurge,
    /// Purging what the tenants' data retention says is due.
    RetentionSweep,
}

impl PeriodicTask {
    /// The name stored with the task's last turn.
    pub fn name(self) -> &'static str {
        match self {
            Self::ExpirySweep => "expiry_sweep",
            Self::BlobPurge => "blob_purge",
            Self::RetentionSweep => "retention_sweep",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RepositoryError {
    /// A uniqueness rule was broken (a tenant name taken, say).
    #[error("already exists: {0}")]
    Conflict(String),
    /// A row the operation refers to was deleted meanwhile (a foreign key no longer holds).
    #[error("a referenced record no longer exists")]
    Gone,
    /// A stored row could not be read back into the domain's types.
    #[error("corrupt record: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Backend(String),
    /// A sealed value or data key did not open (another key-encryption key, or altered).
    #[error(transparent)]
    Sealed(#[from] crate::envelope::EnvelopeError),
}

/// A new workflow execution with everything created with it, stored in one transaction.
#[derive(Debug, Clone)]
pub struct NewExecution {
    pub account: Account,
    /// True when the account is created by this initiation (account creation).
    pub account_is_new: bool,
    pub execution: WorkflowExecution,
    /// In order; credentials on file (workflow 5) are linked, not created.
    pub credentials: Vec<ExecutionCredential>,
}

/// A credential of the account together with the state of the execution that acquired it: what
/// the prerequisites of workflows 5 and 9 look at.
#[derive(Debug, Clone)]
pub struct CredentialOnFile {
    pub credential: Credential,
    pub execution_status: ExecutionStatus,
    pub definition_key: WorkflowKey,
    pub classifiers: Vec<Classifier>,
}

/// Every accepted acquisition action starts the session (first time) and pushes its end ahead.
#[derive(Debug, Clone, Copy)]
pub struct SessionTouch {
    pub execution: Uuid,
    pub now: DateTime<Utc>,
    pub session_expires_at: DateTime<Utc>,
}

/// Work to be done later, written in the same transaction as the state change that causes it.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub kind: &'static str,
    pub execution_id: Uuid,
    pub run_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// A job a worker holds under a lease; `lease_token` proves the lease is still this worker's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: Uuid,
    pub kind: String,
    pub execution_id: Uuid,
    pub attempts: u32,
    pub lease_token: Uuid,
}

/// A callback to deliver, written with the state change it reports. It holds what the body
/// needs rather than the body, because `callbackSentAt` is the time of each attempt, and it
/// outlives a deletion of the execution it reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCallback {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub account_id: Uuid,
    pub execution_id: Uuid,
    pub definition_key: u16,
    /// KYX callbacks are JSON; netverify callbacks are form-encoded with the result in them.
    pub api: ExecutionApi,
    /// PROCESSED, SESSION_EXPIRED or TOKEN_EXPIRED.
    pub status: ExecutionStatus,
    pub user_reference: Option<String>,
    pub url: String,
    pub created_at: DateTime<Utc>,
    /// Ongoing monitoring found a new screening hit for the execution's holder: the search
    /// that found it. None for the callback of a state change.
    pub search_id: Option<Uuid>,
}

impl NewCallback {
    /// The callback reporting `status` of `execution` to `url`.
    pub fn for_execution(
        id: Uuid,
        execution: &WorkflowExecution,
        status: ExecutionStatus,
        url: String,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            tenant_id: execution.tenant_id,
            account_id: execution.account_id,
            execution_id: execution.id,
            definition_key: execution.definition_key.get(),
            api: execution.api,
            status,
            user_reference: execution.user_reference.clone(),
            search_id: None,
            url,
            created_at,
        }
    }

    /// The callback reporting that Document Verification transaction `verification` is done:
    /// it has no account or execution, so both name the transaction, and no workflow (0).
    pub fn for_document(
        id: Uuid,
        verification: &DocumentVerification,
        url: String,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            tenant_id: verification.tenant_id,
            account_id: verification.id,
            execution_id: verification.id,
            definition_key: 0,
            api: ExecutionApi::DocumentVerification,
            status: ExecutionStatus::Processed,
            user_reference: Some(verification.request.customer_id.clone()),
            search_id: None,
            url,
            created_at,
        }
    }

    /// The callback reporting that ongoing monitoring found a new hit (`search`) for the
    /// holder `execution` screened. Sent as JSON whatever the execution's API: it is verifyd's
    /// own callback, not the spec's.
    pub fn for_monitoring(
        id: Uuid,
        execution: &WorkflowExecution,
        search: Uuid,
        url: String,
        created_at: DateTime<Utc>,
    ) -> Self {
        Self {
            api: ExecutionApi::Kyx,
            search_id: Some(search),
            ..Self::for_execution(id, execution, execution.status, url, created_at)
        }
    }
}

/// A verified document, remembered by fingerprint only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFingerprint {
    pub tenant_id: Uuid,
    pub account_id: Uuid,
    pub execution_id: Uuid,
    pub fingerprint: String,
}

/// The moves a capture sequence must show, issued for one FACEMAP credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivenessChallenge {
    pub tenant_id: Uuid,
    pub credential_id: Uuid,
    /// TURN_LEFT, TURN_RIGHT, in order.
    pub turns: Vec<String>,
    pub issued_at: DateTime<Utc>,
}

/// What processing keeps of an execution's faces.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceEvidence {
    pub tenant_id: Uuid,
    pub account_id: Uuid,
    pub execution_id: Uuid,
    pub frame_fingerprints: Vec<u64>,
    /// The person's template, when the identity passed.
    pub template: Option<crate::facemap::FaceTemplate>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredFaceTemplate {
    pub account_id: Uuid,
    pub template: crate::facemap::FaceTemplate,
}

/// A callback a deliverer holds under a lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedCallback {
    pub callback: NewCallback,
    /// Attempts made before this one.
    pub attempts: u32,
    pub lease_token: Uuid,
}

/// One delivery attempt, kept so that a tenant can see what happened to its callbacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackAttempt {
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackState {
    Delivered,
    RetryAt(DateTime<Utc>),
    GaveUp,
}

/// A callback with its attempts, as retrieval shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRecord {
    pub callback: NewCallback,
    pub delivered_at: Option<DateTime<Utc>>,
    pub gave_up_at: Option<DateTime<Utc>>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub attempts: Vec<CallbackAttempt>,
}

impl CallbackRecord {
    /// Where the callback's delivery stands: delivered once any attempt was acknowledged (a
    /// later give-up cannot undo that), failed once retries gave up, pending until then.
    pub fn delivery(&self) -> verifyd_types::Delivery {
        match (self.delivered_at, self.gave_up_at) {
            (Some(_), _) => verifyd_types::Delivery::Delivered,
            (None, Some(_)) => verifyd_types::Delivery::Failed,
            (None, None) => verifyd_types::Delivery::Pending,
        }
    }
}

/// What storing a Document Verification transaction's pages records besides them: when (its
/// `updated_at`), through which channel (its `source` from then on), and when the web
/// client's link stops opening it (None leaves that as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagesStamp {
    pub at: DateTime<Utc>,
    pub source: DocumentSource,
    pub link_expires_at: Option<DateTime<Utc>>,
}

/// What storing a Document Verification transaction's pages did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagesOutcome {
    /// Stored; the blobs of the pages (and original) they replaced, now unreferenced.
    Stored { replaced: Vec<String> },
    /// The transaction no longer acquires (finalized or deleted): nothing was stored.
    Closed,
}

#[derive(Debug, Clone)]
pub enum PutOutcome {
    /// Stored; the part it replaced, whose blob is now unreferenced.
    Stored { replaced: Option<Part> },
    /// The execution left INITIATED meanwhile (finalized, expired or deleted): nothing was stored.
    ExecutionClosed,
    /// An add (POST) found the part already there: nothing was stored.
    AlreadyExists,
}

#[derive(Debug, Clone)]
pub enum DeleteOutcome {
    /// The parts removed (possibly none); their blobs are now unreferenced.
    Deleted(Vec<Part>),
    ExecutionClosed,
}

#[async_trait]
pub trait Repository: Send + Sync {
    /// Reaches the database with a trivial query: what `/health` reports.
    async fn ping(&self) -> Result<(), RepositoryError>;

    async fn insert_tenant(
        &self,
        tenant: &Tenant,
        client: &ApiClient,
    ) -> Result<(), RepositoryError>;
    async fn tenant(&self, id: Uuid) -> Result<Option<Tenant>, RepositoryError>;
    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>, RepositoryError>;
    async fn set_accepted_id_types(
        &self,
        tenant: Uuid,
        accepted: Option<&[AcceptedCountry]>,
    ) -> Result<(), RepositoryError>;
    async fn set_tenant_callback_url(
        &self,
        tenant: Uuid,
        url: Option<&str>,
    ) -> Result<(), RepositoryError>;
    async fn insert_api_client(&self, client: &ApiClient) -> Result<(), RepositoryError>;
    async fn api_client(&self, client_id: &str) -> Result<Option<ApiClient>, RepositoryError>;
    /// The server secret called `name`: `candidate` is stored if none exists yet, and whichever
    /// is stored is returned, so that concurrent first starts agree on one.
    async fn server_secret(
        &self,
        name: &str,
        candidate: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>, RepositoryError>;
    /// Replaces the value of the server secret `name` with `replacement`, only while it still
    /// holds `expected` (so that two processes sealing one clear secret at once cannot overwrite
    /// another's change with anything but the same secret). True when it was replaced.
    async fn replace_server_secret(
        &self,
        name: &str,
        expected: &[u8],
        replacement: &[u8],
    ) -> Result<bool, RepositoryError>;

    /// The data key of `owner` (an account, a Document Verification transaction or an
    /// account-less screening search), opened; made and stored wrapped on first use when
    /// `create` while the owner (an account or a Document Verification transaction) exists,
    /// so that concurrent first uses agree on the one stored first. None when it has none
    /// (never had, or was destroyed with its owner) and `create` is false or the owner is gone.
    async fn data_key(
        &self,
        tenant: Uuid,
        owner: Uuid,
        create: bool,
    ) -> Result<Option<crate::envelope::DataKey>, RepositoryError>;

    /// Sets the tenant's data retention.
    async fn set_retention(
        &self,
        tenant: Uuid,
        retention: &Retention,
    ) -> Result<(), RepositoryError>;
    /// Every tenant's data retention (the default for a tenant that never set one).
    async fn retentions(&self) -> Result<Vec<(Uuid, Retention)>, RepositoryError>;
    /// The tenant's workflow executions in a final state (PROCESSED, SESSION_EXPIRED,
    /// TOKEN_EXPIRED) created before `before`, oldest first (by creation, then id), after
    /// `after` in that order: pages that move on past what a sweep keeps.
    async fn retention_due(
        &self,
        tenant: Uuid,
        before: DateTime<Utc>,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: u32,
    ) -> Result<Vec<WorkflowExecution>, RepositoryError>;
    /// The tenant's Document Verification transactions that are finished (DONE or FAILED) and
    /// were created before `before`, oldest first.
    async fn document_verifications_due(
        &self,
        tenant: Uuid,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DocumentVerification>, RepositoryError>;

    async fn account(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Option<Account>, RepositoryError>;
    async fn insert_execution(&self, new: &NewExecution) -> Result<(), RepositoryError>;
    /// The account's workflow executions, oldest first.
    async fn executions_of(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Vec<WorkflowExecution>, RepositoryError>;
    async fn execution(
        &self,
        tenant: Uuid,
        account: Uuid,
        execution: Uuid,
    ) -> Result<Option<WorkflowExecution>, RepositoryError>;
    async fn execution_credentials(
        &self,
        execution: Uuid,
    ) -> Result<Vec<ExecutionCredential>, RepositoryError>;
    async fn credential(
        &self,
        tenant: Uuid,
        account: Uuid,
        credential: Uuid,
    ) -> Result<Option<Credential>, RepositoryError>;
    async fn account_credentials(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Vec<CredentialOnFile>, RepositoryError>;
    /// The country and document type the user chose in the web client.
    async fn choose_document(
        &self,
        credential: Uuid,
        choice: &DocumentChoice,
    ) -> Result<(), RepositoryError>;
    async fn parts(&self, credentials: &[Uuid]) -> Result<Vec<Part>, RepositoryError>;
    async fn part(
        &self,
        credential: Uuid,
        classifier: Classifier,
    ) -> Result<Option<Part>, RepositoryError>;

    /// Stores a part (replacing one unless `add_only`) and touches the session, only while the
    /// execution is INITIATED, in one transaction.
    async fn put_part(
        &self,
        part: &Part,
        add_only: bool,
        touch: &SessionTouch,
    ) -> Result<PutOutcome, RepositoryError>;
    /// Deletes one part (`Some(classifier)`) or all parts of a credential, and touches the session.
    async fn delete_parts(
        &self,
        credential: Uuid,
        classifier: Option<Classifier>,
        touch: &SessionTouch,
    ) -> Result<DeleteOutcome, RepositoryError>;
    /// INITIATED -> ACQUIRED, the processing job and, when the execution asked to hear of
    /// every step, the callback saying the images were received, atomically. False if the
    /// execution was no longer INITIATED.
    async fn finalize(
        &self,
        execution: Uuid,
        at: DateTime<Utc>,
        job: &Job,
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError>;

    /// Returns when a job may have become due (a finalize or a job given back, in this process or,
    /// where the backend can tell, in another), or after `at_most`: what an idle worker waits on
    /// instead of sleeping. A return promises nothing; the worker claims to find out.
    async fn wait_for_jobs(&self, at_most: std::time::Duration) -> Result<(), RepositoryError>;
    /// Leases the oldest due job whose lease is free or ran out (a dead worker's), atomically.
    /// Concurrent claims never hand out one job twice.
    async fn claim_job(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        lease_token: Uuid,
    ) -> Result<Option<ClaimedJob>, RepositoryError>;
    /// ACQUIRED -> PROCESSED with the outcome, the job removed and the callback queued, in one
    /// transaction, only while `job`'s lease is still held. False when the lease was lost or
    /// the execution left ACQUIRED (deleted, processed by another worker).
    async fn complete_processing(
        &self,
        job: &ClaimedJob,
        outcome: &serde_json::Value,
        completed_at: DateTime<Utc>,
        callback: Option<&NewCallback>,
        verified_documents: &[DocumentFingerprint],
    ) -> Result<bool, RepositoryError>;
    /// The accounts of the tenant, other than `except`, on which a document with this
    /// fingerprint was verified.
    async fn accounts_with_document(
        &self,
        tenant: Uuid,
        fingerprint: &str,
        except: Uuid,
    ) -> Result<Vec<Uuid>, RepositoryError>;
    /// Issues (or replaces) the liveness challenge of a FACEMAP credential.
    async fn put_liveness_challenge(
        &self,
        challenge: &LivenessChallenge,
    ) -> Result<(), RepositoryError>;
    async fn liveness_challenge(
        &self,
        credential: Uuid,
    ) -> Result<Option<LivenessChallenge>, RepositoryError>;
    /// The fingerprints of the frames captured for the tenant's other executions.
    async fn liveness_fingerprints(
        &self,
        tenant: Uuid,
        except_execution: Uuid,
    ) -> Result<Vec<u64>, RepositoryError>;
    /// Records what processing learnt of the faces of an execution: its frames' fingerprints
    /// and the person's template. Idempotent, since a job may run twice.
    async fn record_face_evidence(&self, evidence: &FaceEvidence) -> Result<(), RepositoryError>;
    /// The templates of the tenant's persons on accounts other than `except_account`.
    async fn face_templates(
        &self,
        tenant: Uuid,
        except_account: Uuid,
    ) -> Result<Vec<StoredFaceTemplate>, RepositoryError>;
    /// Stores a part that processing made (a facemap), whatever the execution's status.
    async fn add_generated_part(&self, part: &Part) -> Result<(), RepositoryError>;
    /// Gives the job back for a later attempt, if the lease is still held.
    async fn reschedule_job(
        &self,
        job: &ClaimedJob,
        run_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), RepositoryError>;
    /// Leases the oldest callback due for an attempt; concurrent claims never hand out one
    /// callback twice.
    async fn claim_callback(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        lease_token: Uuid,
    ) -> Result<Option<ClaimedCallback>, RepositoryError>;
    /// Records an attempt and what follows it, if the lease is still held.
    async fn finish_callback_attempt(
        &self,
        claimed: &ClaimedCallback,
        attempt: &CallbackAttempt,
        state: CallbackState,
    ) -> Result<(), RepositoryError>;
    /// The callbacks of one execution of the tenant, oldest first, with their attempts.
    async fn callbacks_of(
        &self,
        tenant: Uuid,
        execution: Uuid,
    ) -> Result<Vec<CallbackRecord>, RepositoryError>;
    /// INITIATED executions whose token ran out before acquisition started, or whose session
    /// ran out after, at most `limit`.
    async fn due_expiries(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<WorkflowExecution>, RepositoryError>;
    /// Moves an execution to `status` if it is still INITIATED and still due, deleting its
    /// parts, recording `blob_prefixes` for deletion and queueing `callback`, in one transaction.
    async fn expire_execution(
        &self,
        execution: Uuid,
        status: ExecutionStatus,
        now: DateTime<Utc>,
        blob_prefixes: &[String],
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError>;
    /// How many jobs were due before `before` and are still waiting: the processing backlog.
    async fn overdue_jobs(&self, before: DateTime<Utc>) -> Result<u64, RepositoryError>;
    /// Drops a job whose execution no longer needs it.
    async fn discard_job(&self, job: &ClaimedJob) -> Result<(), RepositoryError>;
    /// An execution by id alone, for workers (which act for every tenant).
    async fn execution_by_id(
        &self,
        execution: Uuid,
    ) -> Result<Option<WorkflowExecution>, RepositoryError>;

    /// Deletes the account and everything under it (a netverify callback not yet delivered is
    /// given up: it would carry the deleted data), and records `blob_prefixes` as blobs still to
    /// delete, in one transaction. False if there was no such account.
    async fn delete_account(
        &self,
        tenant: Uuid,
        account: Uuid,
        blob_prefixes: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError>;
    /// As `delete_account`, only while the account has no workflow execution left (checked in
    /// the deleting statement itself, so that one started meanwhile keeps the account).
    async fn delete_account_if_empty(
        &self,
        tenant: Uuid,
        account: Uuid,
        blob_prefixes: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError>;
    /// Deletes one workflow execution with the credentials it owns, likewise.
    async fn delete_execution(
        &self,
        tenant: Uuid,
        account: Uuid,
        execution: Uuid,
        blob_prefixes: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError>;
    /// Blob prefixes whose deletion was recorded but not yet confirmed.
    async fn pending_blob_deletions(&self) -> Result<Vec<String>, RepositoryError>;
    async fn blob_deletion_done(&self, prefix: &str) -> Result<(), RepositoryError>;

    /// Takes `task`'s turn for `node` if no node took it after `now - every`; true when this
    /// call took it. Atomic across every process on the database: of simultaneous callers, one
    /// gets the turn.
    async fn take_turn(
        &self,
        task: PeriodicTask,
        node: Uuid,
        now: DateTime<Utc>,
        every: chrono::Duration,
    ) -> Result<bool, RepositoryError>;
    /// Records an initiation by `tenant` at `now` if `limits` admit it
    /// (`rules::rate_limit::admit` over the tenant's initiations of the last minute), as one
    /// step across every process on the database; refused, the seconds to wait.
    async fn admit_initiation(
        &self,
        tenant: Uuid,
        now: DateTime<Utc>,
        limits: RateLimits,
    ) -> Result<Result<(), u64>, RepositoryError>;

    /// The processing queue at `now`, as `/metrics` reports it: the jobs due and free to claim
    /// (their lease, if any, ran out), the jobs held under a live lease, and since when the
    /// longest-waiting due job has been due.
    async fn queue_stats(&self, now: DateTime<Utc>) -> Result<QueueStats, RepositoryError>;
    /// Stores a newly imported version of a watchlist and makes it the one in force for its
    /// name, in one step: the version it replaces stays stored (a search names the versions
    /// it searched), no longer in force.
    async fn insert_watchlist(&self, list: &StoredWatchlist) -> Result<(), RepositoryError>;
    /// The versions in force, one per list name, without their entries.
    async fn current_watchlists(&self) -> Result<Vec<WatchlistSummary>, RepositoryError>;
    /// The entries of one stored version (the screening crate's `ListVersion` as JSON).
    async fn watchlist_content(&self, id: Uuid) -> Result<Option<String>, RepositoryError>;
    /// Stores a search and, when there is one to send (ongoing monitoring's), the callback that
    /// reports it, in one step.
    async fn record_screening_search(
        &self,
        search: &StoredScreeningSearch,
        callback: Option<&NewCallback>,
    ) -> Result<(), RepositoryError>;
    /// The tenant's screening profile; none when the operator set none (every list, the
    /// default threshold, DONE).
    async fn screening_profile(
        &self,
        tenant: Uuid,
    ) -> Result<Option<ScreeningProfile>, RepositoryError>;
    async fn set_screening_profile(
        &self,
        tenant: Uuid,
        profile: &ScreeningProfile,
    ) -> Result<(), RepositoryError>;
    /// The tenants whose profile has monitoring on, with their profile.
    async fn monitoring_tenants(&self) -> Result<Vec<(Uuid, ScreeningProfile)>, RepositoryError>;
    /// The last search of each of `tenant`'s screened accounts: whom monitoring screens again.
    async fn monitored_holders(
        &self,
        tenant: Uuid,
    ) -> Result<Vec<StoredScreeningSearch>, RepositoryError>;
    /// One of the tenant's named search profiles (lists and threshold only).
    async fn search_profile(
        &self,
        tenant: Uuid,
        name: &str,
    ) -> Result<Option<ScreeningProfile>, RepositoryError>;
    /// Sets a named search profile, or removes it (`None`).
    async fn set_search_profile(
        &self,
        tenant: Uuid,
        name: &str,
        profile: Option<&ScreeningProfile>,
    ) -> Result<(), RepositoryError>;
    /// The tenant's named search profiles, by name.
    async fn search_profiles(
        &self,
        tenant: Uuid,
    ) -> Result<Vec<(String, ScreeningProfile)>, RepositoryError>;
    /// Records a reviewed false positive, replacing an earlier review of the same entry for
    /// the same account.
    async fn insert_screening_review(
        &self,
        review: &ScreeningReview,
    ) -> Result<(), RepositoryError>;
    /// The reviews of `tenant` for one account, or for all of its accounts (what monitoring
    /// reads once per import).
    async fn screening_reviews(
        &self,
        tenant: Uuid,
        account: Option<Uuid>,
    ) -> Result<Vec<ScreeningReview>, RepositoryError>;
    /// Every search of one of `tenant`'s accounts (its workflows' and monitoring's), oldest
    /// first.
    async fn screening_searches_of(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Vec<StoredScreeningSearch>, RepositoryError>;
    /// One of `tenant`'s searches; another tenant's is not found.
    async fn screening_search(
        &self,
        tenant: Uuid,
        id: Uuid,
    ) -> Result<Option<StoredScreeningSearch>, RepositoryError>;

    /// A new Document Verification transaction, ACQUIRING.
    async fn insert_document_verification(
        &self,
        verification: &DocumentVerification,
    ) -> Result<(), RepositoryError>;
    /// A Document Verification transaction of any tenant (the caller checks the tenant).
    async fn document_verification(
        &self,
        id: Uuid,
    ) -> Result<Option<DocumentVerification>, RepositoryError>;
    /// The Document Verification transaction whose web client link's token hashes to
    /// `token_hash` (expired or not: the caller judges).
    async fn document_verification_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<DocumentVerification>, RepositoryError>;
    /// Stores `pages` (replacing those of the same numbers, or every page when `replace_all`)
    /// and, for a PDF, the original, while the transaction still acquires; records `stamp`.
    async fn put_document_pages(
        &self,
        id: Uuid,
        pages: &[DocumentPage],
        original_blob: Option<&str>,
        replace_all: bool,
        stamp: &PagesStamp,
    ) -> Result<PagesOutcome, RepositoryError>;
    /// The transaction's pages, by number.
    async fn document_pages(&self, id: Uuid) -> Result<Vec<DocumentPage>, RepositoryError>;
    /// ACQUIRING -> PROCESSING; false when it was not acquiring.
    async fn finalize_document_verification(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError>;
    /// Leases the longest-waiting PROCESSING transaction whose lease is free or ran out.
    async fn claim_document_verification(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        lease_token: Uuid,
    ) -> Result<Option<DocumentVerification>, RepositoryError>;
    /// Stores the extraction, makes the transaction DONE and queues its callback, in one
    /// transaction, if the lease is still `lease_token`'s.
    async fn complete_document_verification(
        &self,
        id: Uuid,
        lease_token: Uuid,
        extraction: &DocumentExtraction,
        now: DateTime<Utc>,
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError>;
    /// Transactions still ACQUIRING whose last update was before `before` and whose web client
    /// link no longer opens them at `now` (or that have none), oldest first.
    async fn stale_document_verifications(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DocumentVerification>, RepositoryError>;
    /// ACQUIRING -> FAILED and its callback queued, in one transaction, if it is still
    /// acquiring, was not updated since `before` and its link no longer opens it at `now`.
    async fn fail_document_verification(
        &self,
        id: Uuid,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError>;
    /// Removes the transaction and its pages, recording `blob_prefix` for the purge in the same
    /// transaction; false when there was none.
    async fn delete_document_verification(
        &self,
        id: Uuid,
        blob_prefix: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError>;

    /// The backend's connection pools, as `/metrics` reports them; none where it cannot tell.
    fn pool_stats(&self) -> Vec<PoolStats> {
        Vec::new()
    }
}

/// The processing queue at one moment (`Repository::queue_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Jobs whose time has come and that no worker holds: what `claim_job` would hand out.
    pub due: u64,
    /// Jobs a worker holds under a lease that has not run out: being processed.
    pub leased: u64,
    /// The earliest `run_at` among the due jobs: the oldest waits since then.
    pub oldest_due_at: Option<DateTime<Utc>>,
}

/// One connection pool of a backend (`Repository::pool_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Which pool, where a backend has several (SQLite: `reads`, `writes`).
    pub name: &'static str,
    /// Connections open, idle or in use.
    pub open: u32,
    /// Open connections not in use.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// One imported version of a watchlist (`Repository::insert_watchlist`). The entries are kept
/// as the screening crate's JSON: storage does not look inside a list.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredWatchlist {
    pub summary: WatchlistSummary,
    pub content: String,
}

/// What is known of a stored watchlist version without reading its entries.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchlistSummary {
    pub id: Uuid,
    /// The list's name (`ofac-sdn`, `un-consolidated`, ...): one version per name is in force.
    pub name: String,
    /// Where the import came from (the files' names).
    pub source: String,
    /// The publication date the list itself states, when it states one.
    pub published: Option<chrono::NaiveDate>,
    pub imported_at: DateTime<Utc>,
    pub entries: u64,
}

/// One screening search and what it found (`GET /api/v1/screening/searches/{id}`): the
/// report is JSON (query, list versions searched, matches with their reasons).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredScreeningSearch {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The account and execution whose holder was screened; none for a one-off search.
    pub account_id: Option<Uuid>,
    pub execution_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub results: u64,
    pub report: String,
}

/// How a tenant is screened (`verifyd tenant screening`): the spec's `searchProfile`, kept by
/// verifyd rather than by a screening provider.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningProfile {
    /// The lists screened against, by name; none for every list in force.
    pub lists: Option<Vec<String>>,
    /// Matches scoring below this (0..1) are not reported; none for the matcher's default.
    pub threshold: Option<f64>,
    /// The `searchStatus` of a finished search: `DONE` as the guide writes it, `SUCCESS` as
    /// the vendor's live service sends it, for integrations written against that.
    pub search_status: SearchStatusValue,
    /// Whether the tenant's screened holders are screened again against what each list
    /// import adds or changes, with a callback for every new hit (ongoing monitoring).
    pub monitoring: bool,
}

/// A match a tenant reviewed as a false positive for one account: not reported again for the
/// account while the entry stays at `entry_version`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningReview {
    pub tenant_id: Uuid,
    pub account_id: Uuid,
    pub list: String,
    pub entry_id: String,
    pub entry_version: String,
    /// The search whose match was reviewed.
    pub search_id: Uuid,
    pub reviewed_at: DateTime<Utc>,
}

/// See [`ScreeningProfile::search_status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SearchStatusValue {
    #[default]
    Done,
    Success,
}

impl SearchStatusValue {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "DONE",
            Self::Success => "SUCCESS",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "DONE" => Some(Self::Done),
            "SUCCESS" => Some(Self::Success),
            _ => None,
        }
    }
}
