//! PostgreSQL, for installations that run several verifyd processes (or hosts) on one database.
//! One pool serves reads and writes; every multi-statement change is one transaction at READ
//! COMMITTED, whose row locks and re-checked conditions give the same outcomes as SQLite's one
//! writer. Claims of jobs and callbacks skip rows another claim holds (`jobs`, `callbacks`), and
//! a job made due is announced to every process with NOTIFY (`listen`).

mod callbacks;
mod cluster;
mod data_keys;
mod document_verifications;
mod faces;
mod jobs;
mod listen;
mod read;
mod retention;
mod rows;
mod screening;
mod screening_reviews;
mod stats;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Row};
use uuid::Uuid;
use verifyd_domain::envelope::{DataKey, Envelope};
use verifyd_domain::model::ExecutionStatus;
use verifyd_domain::model::{
    AcceptedCountry, Account, ApiClient, Classifier, Credential, DocumentChoice,
    ExecutionCredential, Part, Retention, Tenant, WorkflowExecution,
};
use verifyd_domain::model::{DocumentExtraction, DocumentPage, DocumentVerification};
use verifyd_domain::repository::{
    CallbackAttempt, CallbackRecord, CallbackState, ClaimedCallback, ClaimedJob, CredentialOnFile,
    DeleteOutcome, DocumentFingerprint, FaceEvidence, Job, LivenessChallenge, NewCallback,
    NewExecution, PeriodicTask, PutOutcome, Repository, RepositoryError, SessionTouch,
    StoredFaceTemplate,
};
use verifyd_domain::repository::{PagesOutcome, PagesStamp};
use verifyd_domain::rules::rate_limit::RateLimits;
use verifyd_domain::timestamp::to_millis;

use crate::error::backend;
use crate::sealing::{self, Column, Sealing};
use crate::wake::JobWake;
use crate::{RepositoryOptions, StorageError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections in the pool when `RepositoryOptions::max_connections` is unset.
const DEFAULT_MAX_CONNECTIONS: u32 = 10;

pub struct PostgresRepository {
    pool: PgPool,
    /// Woken by the notifications of every process on the database.
    jobs_due: Arc<JobWake>,
    /// The task that listens for them; it ends with the repository.
    _listening: listen::Listening,
    sealing: Sealing,
}

impl PostgresRepository {
    /// Connects to an existing database (`postgres://` or `postgresql://`), brings its schema up
    /// to date, and starts listening for due jobs on a connection of its own, beside the pool of
    /// `options.max_connections` (default 10).
    pub async fn open(url: &str, options: &RepositoryOptions) -> Result<Self, StorageError> {
        let max_connections = options.max_connections_or(DEFAULT_MAX_CONNECTIONS)?;
        let connect = PgConnectOptions::from_str(url)?.application_name("verifyd");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .connect_with(connect.clone())
            .await?;
        // Migrations take PostgreSQL's advisory lock: processes starting at once apply each once.
        MIGRATOR.run(&pool).await?;
        let jobs_due = Arc::new(JobWake::default());
        let listening = listen::start(connect, jobs_due.clone()).await?;
        Ok(Self {
            pool,
            jobs_due,
            _listening: listening,
            sealing: Sealing::default(),
        })
    }

    /// Deletes the account and its data key (so that nothing of it opens any more), then
    /// gives up its netverify callbacks and records its blobs for the purge, in one
    /// transaction; with `only_if_empty`, only while it has no execution left.
    async fn remove_account(
        &self,
        tenant: Uuid,
        account: Uuid,
        blob_prefixes: &[String],
        now: DateTime<Utc>,
        only_if_empty: bool,
    ) -> Result<bool, RepositoryError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let sql = if only_if_empty {
            "DELETE FROM accounts WHERE id = $1 AND tenant_id = $2 AND \
             NOT EXISTS (SELECT 1 FROM workflow_executions WHERE account_id = $1)"
        } else {
            "DELETE FROM accounts WHERE id = $1 AND tenant_id = $2"
        };
        let deleted = sqlx::query(sql)
            .bind(account)
            .bind(tenant)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if deleted.rows_affected() == 0 {
            return Ok(false);
        }
        data_keys::destroy(&mut tx, account).await?;
        callbacks::cancel_netverify(&mut tx, "account_id", account, tenant, now).await?;
        record_blob_deletions(&mut tx, blob_prefixes, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    /// Seals personal columns with `envelope` (every repository but `verifyd migrate`'s).
    pub fn sealed_with(self, envelope: Envelope) -> Self {
        Self {
            sealing: Sealing::new(envelope),
            ..self
        }
    }

    /// The pool: `verifyd migrate` writes its copy in one transaction there.
    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Executions with their owner's wrapped data key (`rows::execution` opens the outcome).
pub(super) fn executions(condition: &str) -> String {
    format!(
        "SELECT *, {} FROM workflow_executions {condition}",
        sealing::data_key_of("workflow_executions.account_id")
    )
}

pub(super) fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, RepositoryError> {
    serde_json::to_string(value).map_err(|error| RepositoryError::Corrupt(error.to_string()))
}

#[async_trait]
impl Repository for PostgresRepository {
    async fn ping(&self) -> Result<(), RepositoryError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn insert_tenant(
        &self,
        tenant: &Tenant,
        client: &ApiClient,
    ) -> Result<(), RepositoryError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO tenants (id, name, accepted_id_types, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(tenant.id)
        .bind(&tenant.name)
        .bind(tenant.accepted_id_types.as_ref().map(json).transpose()?)
        .bind(to_millis(tenant.created_at))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        insert_client(&mut tx, client).await?;
        tx.commit().await.map_err(backend)
    }

    async fn tenant(&self, id: Uuid) -> Result<Option<Tenant>, RepositoryError> {
        let query = sqlx::query("SELECT * FROM tenants WHERE id = $1").bind(id);
        read::optional(&self.pool, query, rows::tenant).await
    }

    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>, RepositoryError> {
        let query = sqlx::query("SELECT * FROM tenants WHERE name = $1").bind(name);
        read::optional(&self.pool, query, rows::tenant).await
    }

    async fn set_accepted_id_types(
        &self,
        tenant: Uuid,
        accepted: Option<&[AcceptedCountry]>,
    ) -> Result<(), RepositoryError> {
        sqlx::query("UPDATE tenants SET accepted_id_types = $1 WHERE id = $2")
            .bind(accepted.map(json).transpose()?)
            .bind(tenant)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn set_tenant_callback_url(
        &self,
        tenant: Uuid,
        url: Option<&str>,
    ) -> Result<(), RepositoryError> {
        sqlx::query("UPDATE tenants SET callback_url = $1 WHERE id = $2")
            .bind(url)
            .bind(tenant)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn insert_api_client(&self, client: &ApiClient) -> Result<(), RepositoryError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        insert_client(&mut tx, client).await?;
        tx.commit().await.map_err(backend)
    }

    async fn api_client(&self, client_id: &str) -> Result<Option<ApiClient>, RepositoryError> {
        let query = sqlx::query("SELECT * FROM api_clients WHERE client_id = $1").bind(client_id);
        read::optional(&self.pool, query, rows::api_client).await
    }

    async fn server_secret(
        &self,
        name: &str,
        candidate: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>, RepositoryError> {
        sqlx::query("INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(candidate)
            .bind(to_millis(now))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        let row = sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        row.try_get::<Vec<u8>, _>("value").map_err(backend)
    }

    async fn replace_server_secret(
        &self,
        name: &str,
        expected: &[u8],
        replacement: &[u8],
    ) -> Result<bool, RepositoryError> {
        let replaced =
            sqlx::query("UPDATE server_secrets SET value = $1 WHERE name = $2 AND value = $3")
                .bind(replacement)
                .bind(name)
                .bind(expected)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        Ok(replaced.rows_affected() == 1)
    }

    async fn data_key(
        &self,
        tenant: Uuid,
        owner: Uuid,
        create: bool,
    ) -> Result<Option<DataKey>, RepositoryError> {
        // Read first: every use but an owner's first finds its key without a write.
        let mut connection = self.pool.acquire().await.map_err(backend)?;
        let stored = data_keys::wrapped(&mut connection, owner).await?;
        drop(connection);
        if stored.is_some() || !create {
            return stored
                .map(|wrapped| self.sealing.unwrap_key(owner, &wrapped))
                .transpose();
        }
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // A blob stored for an owner deleted meanwhile (an upload racing the deletion) must not
        // bring its destroyed key back: no owner, no key, and the blob is not stored.
        let exists = sqlx::query("SELECT 1 FROM accounts WHERE id = $1 UNION ALL SELECT 1 FROM document_verifications WHERE id = $1")
            .bind(owner)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        if exists.is_none() {
            return Ok(None);
        }
        let key = data_keys::get_or_create(&mut tx, &self.sealing, tenant, owner).await?;
        tx.commit().await.map_err(backend)?;
        Ok(Some(key))
    }

    async fn set_retention(
        &self,
        tenant: Uuid,
        retention: &Retention,
    ) -> Result<(), RepositoryError> {
        retention::set(&self.pool, tenant, retention).await
    }

    async fn retentions(&self) -> Result<Vec<(Uuid, Retention)>, RepositoryError> {
        retention::all(&self.pool).await
    }

    async fn retention_due(
        &self,
        tenant: Uuid,
        before: DateTime<Utc>,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: u32,
    ) -> Result<Vec<WorkflowExecution>, RepositoryError> {
        retention::due(&self.pool, &self.sealing, tenant, before, after, limit).await
    }

    async fn document_verifications_due(
        &self,
        tenant: Uuid,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DocumentVerification>, RepositoryError> {
        document_verifications::finished_before(&self.pool, &self.sealing, tenant, before, limit)
            .await
    }

    async fn account(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Option<Account>, RepositoryError> {
        let query = sqlx::query("SELECT * FROM accounts WHERE id = $1 AND tenant_id = $2")
            .bind(account)
            .bind(tenant);
        read::optional(&self.pool, query, rows::account).await
    }

    async fn insert_execution(&self, new: &NewExecution) -> Result<(), RepositoryError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let account = &new.account;
        if new.account_is_new {
            sqlx::query(
                "INSERT INTO accounts (id, tenant_id, created_at, updated_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(account.id)
            .bind(account.tenant_id)
            .bind(to_millis(account.created_at))
            .bind(to_millis(account.updated_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        } else {
            let updated =
                sqlx::query("UPDATE accounts SET updated_at = $1 WHERE id = $2 AND tenant_id = $3")
                    .bind(to_millis(account.updated_at))
                    .bind(account.id)
                    .bind(account.tenant_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
            if updated.rows_affected() == 0 {
                return Err(RepositoryError::Conflict(
                    "the account was deleted meanwhile".to_owned(),
                ));
            }
        }
        let e = &new.execution;
        // The user's consent holds their IP address and location: sealed, as the outcome is.
        let (outcome, user_consent) = if e.outcome.is_some() || e.user_consent.is_some() {
            let key =
                data_keys::get_or_create(&mut tx, &self.sealing, e.tenant_id, e.account_id).await?;
            let seal = |column, plain: Option<String>| {
                plain
                    .map(|plain| self.sealing.seal(&key, column, e.id, &plain))
                    .transpose()
            };
            (
                seal(Column::Outcome, e.outcome.as_ref().map(json).transpose()?)?,
                seal(
                    Column::UserConsent,
                    e.user_consent.as_ref().map(json).transpose()?,
                )?,
            )
        } else {
            (None, None)
        };
        sqlx::query(
            "INSERT INTO workflow_executions (id, account_id, tenant_id, definition_key, status, \
             customer_internal_reference, user_reference, reporting_criteria, callback_url, success_url, \
             error_url, locale, user_consent, screening_properties, token_expires_at, session_expires_at, \
             created_at, started_at, acquired_at, completed_at, outcome, api, capture_method, enabled_fields, callback_granularity) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)",
        )
        .bind(e.id)
        .bind(e.account_id)
        .bind(e.tenant_id)
        .bind(i64::from(e.definition_key.get()))
        .bind(e.status.as_str())
        .bind(&e.customer_internal_reference)
        .bind(&e.user_reference)
        .bind(&e.reporting_criteria)
        .bind(&e.callback_url)
        .bind(&e.web.success_url)
        .bind(&e.web.error_url)
        .bind(&e.web.locale)
        .bind(user_consent)
        .bind(&e.screening_properties)
        .bind(to_millis(e.token_expires_at))
        .bind(e.session_expires_at.map(to_millis))
        .bind(to_millis(e.created_at))
        .bind(e.started_at.map(to_millis))
        .bind(e.acquired_at.map(to_millis))
        .bind(e.completed_at.map(to_millis))
        .bind(outcome)
        .bind(e.api.as_str())
        .bind(e.web.capture_method.as_str())
        .bind(e.options.enabled_fields_column())
        .bind(e.options.callback_granularity.as_str())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        for linked in &new.credentials {
            let c = &linked.credential;
            if c.execution_id == e.id {
                sqlx::query(
                    "INSERT INTO credentials (id, tenant_id, account_id, execution_id, category, country_preset, type_preset, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(c.id)
                .bind(c.tenant_id)
                .bind(c.account_id)
                .bind(c.execution_id)
                .bind(c.category.as_str())
                .bind(c.country.as_ref().map(json).transpose()?)
                .bind(c.id_type.as_ref().map(json).transpose()?)
                .bind(to_millis(c.created_at))
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            }
            let channels: Vec<&str> = linked.allowed_channels.iter().map(|c| c.as_str()).collect();
            sqlx::query("INSERT INTO workflow_execution_credentials (execution_id, credential_id, position, allowed_channels) VALUES ($1, $2, $3, $4)")
                .bind(e.id)
                .bind(c.id)
                .bind(i64::from(linked.position))
                .bind(&channels)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn executions_of(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Vec<WorkflowExecution>, RepositoryError> {
        let sql = executions("WHERE account_id = $1 AND tenant_id = $2 ORDER BY created_at");
        let query = sqlx::query(&sql).bind(account).bind(tenant);
        read::all(&self.pool, query, |row| rows::execution(row, &self.sealing)).await
    }

    async fn execution(
        &self,
        tenant: Uuid,
        account: Uuid,
        execution: Uuid,
    ) -> Result<Option<WorkflowExecution>, RepositoryError> {
        let sql = executions("WHERE id = $1 AND account_id = $2 AND tenant_id = $3");
        let query = sqlx::query(&sql).bind(execution).bind(account).bind(tenant);
        read::optional(&self.pool, query, |row| rows::execution(row, &self.sealing)).await
    }

    async fn execution_credentials(
        &self,
        execution: Uuid,
    ) -> Result<Vec<ExecutionCredential>, RepositoryError> {
        let query = sqlx::query(
            "SELECT c.*, l.position, l.allowed_channels FROM workflow_execution_credentials l \
             JOIN credentials c ON c.id = l.credential_id WHERE l.execution_id = $1 ORDER BY l.position",
        )
        .bind(execution);
        read::all(&self.pool, query, rows::execution_credential).await
    }

    async fn credential(
        &self,
        tenant: Uuid,
        account: Uuid,
        credential: Uuid,
    ) -> Result<Option<Credential>, RepositoryError> {
        let query = sqlx::query(
            "SELECT * FROM credentials WHERE id = $1 AND account_id = $2 AND tenant_id = $3",
        )
        .bind(credential)
        .bind(account)
        .bind(tenant);
        read::optional(&self.pool, query, rows::credential).await
    }

    async fn account_credentials(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Vec<CredentialOnFile>, RepositoryError> {
        let query = sqlx::query(
            "SELECT c.*, e.status AS execution_status, e.definition_key AS definition_key, \
             ARRAY(SELECT p.classifier FROM parts p WHERE p.credential_id = c.id ORDER BY p.classifier) AS classifiers \
             FROM credentials c JOIN workflow_executions e ON e.id = c.execution_id \
             WHERE c.account_id = $1 AND c.tenant_id = $2 ORDER BY c.created_at",
        )
        .bind(account)
        .bind(tenant);
        read::all(&self.pool, query, rows::credential_on_file).await
    }

    async fn choose_document(
        &self,
        credential: Uuid,
        choice: &DocumentChoice,
    ) -> Result<(), RepositoryError> {
        sqlx::query("UPDATE credentials SET chosen_document = $1 WHERE id = $2")
            .bind(json(choice)?)
            .bind(credential)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn parts(&self, credentials: &[Uuid]) -> Result<Vec<Part>, RepositoryError> {
        if credentials.is_empty() {
            return Ok(Vec::new());
        }
        let query =
            sqlx::query("SELECT * FROM parts WHERE credential_id = ANY($1) ORDER BY created_at")
                .bind(credentials);
        read::all(&self.pool, query, rows::part).await
    }

    async fn part(
        &self,
        credential: Uuid,
        classifier: Classifier,
    ) -> Result<Option<Part>, RepositoryError> {
        select_part(&self.pool, credential, classifier).await
    }

    async fn put_part(
        &self,
        part: &Part,
        add_only: bool,
        touch: &SessionTouch,
    ) -> Result<PutOutcome, RepositoryError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        if !touch_session(&mut tx, touch).await? {
            return Ok(PutOutcome::ExecutionClosed);
        }
        let replaced = select_part(&mut *tx, part.credential_id, part.classifier).await?;
        if add_only && replaced.is_some() {
            return Ok(PutOutcome::AlreadyExists);
        }
        upsert_part(&mut *tx, part).await?;
        tx.commit().await.map_err(backend)?;
        Ok(PutOutcome::Stored { replaced })
    }

    async fn delete_parts(
        &self,
        credential: Uuid,
        classifier: Option<Classifier>,
        touch: &SessionTouch,
    ) -> Result<DeleteOutcome, RepositoryError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        if !touch_session(&mut tx, touch).await? {
            return Ok(DeleteOutcome::ExecutionClosed);
        }
        let classifier = classifier.map(|c| c.to_string());
        let removed = sqlx::query("DELETE FROM parts WHERE credential_id = $1 AND ($2::text IS NULL OR classifier = $2) RETURNING *")
            .bind(credential)
            .bind(&classifier)
            .fetch_all(&mut *tx)
            .await
            .map_err(backend)?
            .iter()
            .map(rows::part)
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit().await.map_err(backend)?;
        Ok(DeleteOutcome::Deleted(removed))
    }

    async fn finalize(
        &self,
        execution: Uuid,
        at: DateTime<Utc>,
        job: &Job,
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError> {
        jobs::finalize(&self.pool, execution, at, job, callback).await
    }

    async fn wait_for_jobs(&self, at_most: Duration) -> Result<(), RepositoryError> {
        self.jobs_due.wait(at_most).await;
        Ok(())
    }

    async fn claim_job(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        lease_token: Uuid,
    ) -> Result<Option<ClaimedJob>, RepositoryError> {
        jobs::claim(&self.pool, now, lease_until, lease_token).await
    }

    async fn complete_processing(
        &self,
        job: &ClaimedJob,
        outcome: &serde_json::Value,
        completed_at: DateTime<Utc>,
        callback: Option<&NewCallback>,
        verified_documents: &[DocumentFingerprint],
    ) -> Result<bool, RepositoryError> {
        jobs::complete(
            &self.pool,
            &self.sealing,
            job,
            outcome,
            completed_at,
            callback,
            verified_documents,
        )
        .await
    }

    async fn accounts_with_document(
        &self,
        tenant: Uuid,
        fingerprint: &str,
        except: Uuid,
    ) -> Result<Vec<Uuid>, RepositoryError> {
        let query = sqlx::query(
            "SELECT account_id FROM document_fingerprints WHERE tenant_id = $1 AND fingerprint = $2 \
             AND account_id <> $3 ORDER BY created_at",
        )
        .bind(tenant)
        .bind(fingerprint)
        .bind(except);
        read::all(&self.pool, query, |row| rows::uuid(row, "account_id")).await
    }

    async fn put_liveness_challenge(
        &self,
        challenge: &LivenessChallenge,
    ) -> Result<(), RepositoryError> {
        faces::put_challenge(&self.pool, challenge).await
    }

    async fn liveness_challenge(
        &self,
        credential: Uuid,
    ) -> Result<Option<LivenessChallenge>, RepositoryError> {
        faces::challenge(&self.pool, credential).await
    }

    async fn liveness_fingerprints(
        &self,
        tenant: Uuid,
        except_execution: Uuid,
    ) -> Result<Vec<u64>, RepositoryError> {
        faces::fingerprints(&self.pool, tenant, except_execution).await
    }

    async fn record_face_evidence(&self, evidence: &FaceEvidence) -> Result<(), RepositoryError> {
        faces::record_evidence(&self.pool, &self.sealing, evidence).await
    }

    async fn face_templates(
        &self,
        tenant: Uuid,
        except_account: Uuid,
    ) -> Result<Vec<StoredFaceTemplate>, RepositoryError> {
        faces::templates(&self.pool, &self.sealing, tenant, except_account).await
    }

    async fn add_generated_part(&self, part: &Part) -> Result<(), RepositoryError> {
        upsert_part(&self.pool, part).await
    }

    async fn reschedule_job(
        &self,
        job: &ClaimedJob,
        run_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), RepositoryError> {
        jobs::reschedule(&self.pool, job, run_at, error).await
    }

    async fn claim_callback(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        lease_token: Uuid,
    ) -> Result<Option<ClaimedCallback>, RepositoryError> {
        callbacks::claim(&self.pool, now, lease_until, lease_token).await
    }

    async fn finish_callback_attempt(
        &self,
        claimed: &ClaimedCallback,
        attempt: &CallbackAttempt,
        state: CallbackState,
    ) -> Result<(), RepositoryError> {
        callbacks::finish_attempt(&self.pool, claimed, attempt, state).await
    }

    async fn callbacks_of(
        &self,
        tenant: Uuid,
        execution: Uuid,
    ) -> Result<Vec<CallbackRecord>, RepositoryError> {
        callbacks::of_execution(&self.pool, tenant, execution).await
    }

    async fn due_expiries(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<WorkflowExecution>, RepositoryError> {
        let sql = executions(
            "WHERE status = 'INITIATED' AND \
             ((session_expires_at IS NULL AND token_expires_at <= $1) OR session_expires_at <= $2) \
             ORDER BY token_expires_at LIMIT $3",
        );
        let query = sqlx::query(&sql)
            .bind(to_millis(now))
            .bind(to_millis(now))
            .bind(i64::from(limit));
        read::all(&self.pool, query, |row| rows::execution(row, &self.sealing)).await
    }

    async fn expire_execution(
        &self,
        execution: Uuid,
        status: ExecutionStatus,
        now: DateTime<Utc>,
        blob_prefixes: &[String],
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let moved = sqlx::query(
            "UPDATE workflow_executions SET status = $1, completed_at = $2 WHERE id = $3 AND status = 'INITIATED' AND \
             ((session_expires_at IS NULL AND token_expires_at <= $4) OR session_expires_at <= $5)",
        )
        .bind(status.as_str())
        .bind(to_millis(now))
        .bind(execution)
        .bind(to_millis(now))
        .bind(to_millis(now))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if moved.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM parts WHERE credential_id IN (SELECT id FROM credentials WHERE execution_id = $1)")
            .bind(execution)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        record_blob_deletions(&mut tx, blob_prefixes, now).await?;
        if let Some(callback) = callback {
            callbacks::insert_callback(&mut tx, callback).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn overdue_jobs(&self, before: DateTime<Utc>) -> Result<u64, RepositoryError> {
        jobs::overdue(&self.pool, before).await
    }

    async fn discard_job(&self, job: &ClaimedJob) -> Result<(), RepositoryError> {
        jobs::discard(&self.pool, job).await
    }

    async fn execution_by_id(
        &self,
        execution: Uuid,
    ) -> Result<Option<WorkflowExecution>, RepositoryError> {
        let sql = executions("WHERE id = $1");
        let query = sqlx::query(&sql).bind(execution);
        read::optional(&self.pool, query, |row| rows::execution(row, &self.sealing)).await
    }

    async fn delete_account(
        &self,
        tenant: Uuid,
        account: Uuid,
        blob_prefixes: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        self.remove_account(tenant, account, blob_prefixes, now, false)
            .await
    }

    async fn delete_account_if_empty(
        &self,
        tenant: Uuid,
        account: Uuid,
        blob_prefixes: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        self.remove_account(tenant, account, blob_prefixes, now, true)
            .await
    }

    async fn delete_execution(
        &self,
        tenant: Uuid,
        account: Uuid,
        execution: Uuid,
        blob_prefixes: &[String],
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let deleted = sqlx::query(
            "DELETE FROM workflow_executions WHERE id = $1 AND account_id = $2 AND tenant_id = $3",
        )
        .bind(execution)
        .bind(account)
        .bind(tenant)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if deleted.rows_affected() == 0 {
            return Ok(false);
        }
        callbacks::cancel_netverify(&mut tx, "execution_id", execution, tenant, now).await?;
        record_blob_deletions(&mut tx, blob_prefixes, now).await?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn pending_blob_deletions(&self) -> Result<Vec<String>, RepositoryError> {
        let query = sqlx::query("SELECT prefix FROM blob_deletions ORDER BY created_at");
        read::all(&self.pool, query, |row| {
            row.try_get::<String, _>("prefix").map_err(backend)
        })
        .await
    }

    async fn blob_deletion_done(&self, prefix: &str) -> Result<(), RepositoryError> {
        sqlx::query("DELETE FROM blob_deletions WHERE prefix = $1")
            .bind(prefix)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn take_turn(
        &self,
        task: PeriodicTask,
        node: Uuid,
        now: DateTime<Utc>,
        every: chrono::Duration,
    ) -> Result<bool, RepositoryError> {
        cluster::take_turn(&self.pool, task, node, now, every).await
    }

    async fn admit_initiation(
        &self,
        tenant: Uuid,
        now: DateTime<Utc>,
        limits: RateLimits,
    ) -> Result<Result<(), u64>, RepositoryError> {
        cluster::admit_initiation(&self.pool, tenant, now, limits).await
    }

    async fn insert_watchlist(
        &self,
        list: &verifyd_domain::repository::StoredWatchlist,
    ) -> Result<(), RepositoryError> {
        screening::insert_watchlist(&self.pool, list).await
    }

    async fn current_watchlists(
        &self,
    ) -> Result<Vec<verifyd_domain::repository::WatchlistSummary>, RepositoryError> {
        screening::current(&self.pool).await
    }

    async fn watchlist_content(&self, id: Uuid) -> Result<Option<String>, RepositoryError> {
        screening::content(&self.pool, id).await
    }

    async fn screening_profile(
        &self,
        tenant: Uuid,
    ) -> Result<Option<verifyd_domain::repository::ScreeningProfile>, RepositoryError> {
        screening::profile(&self.pool, tenant).await
    }

    async fn set_screening_profile(
        &self,
        tenant: Uuid,
        profile: &verifyd_domain::repository::ScreeningProfile,
    ) -> Result<(), RepositoryError> {
        screening::set_profile(&self.pool, tenant, profile).await
    }

    async fn monitoring_tenants(
        &self,
    ) -> Result<Vec<(Uuid, verifyd_domain::repository::ScreeningProfile)>, RepositoryError> {
        screening::monitoring_tenants(&self.pool).await
    }

    async fn monitored_holders(
        &self,
        tenant: Uuid,
    ) -> Result<Vec<verifyd_domain::repository::StoredScreeningSearch>, RepositoryError> {
        screening::monitored_holders(&self.pool, &self.sealing, tenant).await
    }

    async fn record_screening_search(
        &self,
        search: &verifyd_domain::repository::StoredScreeningSearch,
        callback: Option<&NewCallback>,
    ) -> Result<(), RepositoryError> {
        screening::record_search(&self.pool, &self.sealing, search, callback).await
    }

    async fn search_profile(
        &self,
        tenant: Uuid,
        name: &str,
    ) -> Result<Option<verifyd_domain::repository::ScreeningProfile>, RepositoryError> {
        screening::search_profile(&self.pool, tenant, name).await
    }

    async fn set_search_profile(
        &self,
        tenant: Uuid,
        name: &str,
        profile: Option<&verifyd_domain::repository::ScreeningProfile>,
    ) -> Result<(), RepositoryError> {
        screening::set_search_profile(&self.pool, tenant, name, profile).await
    }

    async fn search_profiles(
        &self,
        tenant: Uuid,
    ) -> Result<Vec<(String, verifyd_domain::repository::ScreeningProfile)>, RepositoryError> {
        screening::search_profiles(&self.pool, tenant).await
    }

    async fn insert_screening_review(
        &self,
        review: &verifyd_domain::repository::ScreeningReview,
    ) -> Result<(), RepositoryError> {
        screening_reviews::insert(&self.pool, review).await
    }

    async fn screening_reviews(
        &self,
        tenant: Uuid,
        account: Option<Uuid>,
    ) -> Result<Vec<verifyd_domain::repository::ScreeningReview>, RepositoryError> {
        screening_reviews::of_account(&self.pool, tenant, account).await
    }

    async fn insert_document_verification(
        &self,
        verification: &DocumentVerification,
    ) -> Result<(), RepositoryError> {
        document_verifications::insert(&self.pool, verification).await
    }

    async fn document_verification(
        &self,
        id: Uuid,
    ) -> Result<Option<DocumentVerification>, RepositoryError> {
        document_verifications::by_id(&self.pool, &self.sealing, id).await
    }

    async fn document_verification_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<DocumentVerification>, RepositoryError> {
        document_verifications::by_token_hash(&self.pool, &self.sealing, token_hash).await
    }

    async fn put_document_pages(
        &self,
        id: Uuid,
        pages: &[DocumentPage],
        original_blob: Option<&str>,
        replace_all: bool,
        stamp: &PagesStamp,
    ) -> Result<PagesOutcome, RepositoryError> {
        document_verifications::put_pages(&self.pool, id, pages, original_blob, replace_all, stamp)
            .await
    }

    async fn document_pages(&self, id: Uuid) -> Result<Vec<DocumentPage>, RepositoryError> {
        document_verifications::pages(&self.pool, id).await
    }

    async fn finalize_document_verification(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        document_verifications::finalize(&self.pool, id, now).await
    }

    async fn claim_document_verification(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        lease_token: Uuid,
    ) -> Result<Option<DocumentVerification>, RepositoryError> {
        document_verifications::claim(&self.pool, &self.sealing, now, lease_until, lease_token)
            .await
    }

    async fn complete_document_verification(
        &self,
        id: Uuid,
        lease_token: Uuid,
        extraction: &DocumentExtraction,
        now: DateTime<Utc>,
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError> {
        document_verifications::complete(
            &self.pool,
            &self.sealing,
            id,
            lease_token,
            extraction,
            now,
            callback,
        )
        .await
    }

    async fn stale_document_verifications(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DocumentVerification>, RepositoryError> {
        document_verifications::stale(&self.pool, &self.sealing, before, now, limit).await
    }

    async fn fail_document_verification(
        &self,
        id: Uuid,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError> {
        document_verifications::fail(&self.pool, id, before, now, callback).await
    }

    async fn delete_document_verification(
        &self,
        id: Uuid,
        blob_prefix: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        document_verifications::delete(&self.pool, id, blob_prefix, now).await
    }

    async fn screening_searches_of(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Vec<verifyd_domain::repository::StoredScreeningSearch>, RepositoryError> {
        screening::searches_of(&self.pool, &self.sealing, tenant, account).await
    }

    async fn screening_search(
        &self,
        tenant: Uuid,
        id: Uuid,
    ) -> Result<Option<verifyd_domain::repository::StoredScreeningSearch>, RepositoryError> {
        screening::search(&self.pool, &self.sealing, tenant, id).await
    }

    async fn queue_stats(
        &self,
        now: DateTime<Utc>,
    ) -> Result<verifyd_domain::repository::QueueStats, RepositoryError> {
        stats::queue(&self.pool, now).await
    }

    fn pool_stats(&self) -> Vec<verifyd_domain::repository::PoolStats> {
        stats::pools(&self.pool)
    }
}

pub(super) type Tx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

/// Stores `part`, replacing the credential's part of the same classifier.
async fn upsert_part<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Postgres>,
    part: &Part,
) -> Result<(), RepositoryError> {
    sqlx::query(
        "INSERT INTO parts (credential_id, classifier, blob_key, media_type, size_bytes, width, height, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (credential_id, classifier) DO UPDATE SET blob_key = excluded.blob_key, \
         media_type = excluded.media_type, size_bytes = excluded.size_bytes, width = excluded.width, \
         height = excluded.height, created_at = excluded.created_at",
    )
    .bind(part.credential_id)
    .bind(part.classifier.to_string())
    .bind(&part.blob_key)
    .bind(part.media_type.as_str())
    .bind(i64::try_from(part.size_bytes).unwrap_or(i64::MAX))
    .bind(part.width.map(i64::from))
    .bind(part.height.map(i64::from))
    .bind(to_millis(part.created_at))
    .execute(executor)
    .await
    .map_err(backend)?;
    Ok(())
}

async fn select_part<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Postgres>,
    credential: Uuid,
    classifier: Classifier,
) -> Result<Option<Part>, RepositoryError> {
    sqlx::query("SELECT * FROM parts WHERE credential_id = $1 AND classifier = $2")
        .bind(credential)
        .bind(classifier.to_string())
        .fetch_optional(executor)
        .await
        .map_err(backend)?
        .map(|row| rows::part(&row))
        .transpose()
}

async fn insert_client(tx: &mut Tx<'_>, client: &ApiClient) -> Result<(), RepositoryError> {
    let scopes: Vec<&str> = client.scopes.iter().map(|s| s.as_str()).collect();
    sqlx::query("INSERT INTO api_clients (client_id, tenant_id, secret_hash, scopes, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&client.client_id)
        .bind(client.tenant_id)
        .bind(&client.secret_hash)
        .bind(&scopes)
        .bind(to_millis(client.created_at))
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// Starts or extends the session, only while the execution still acquires.
async fn touch_session(tx: &mut Tx<'_>, touch: &SessionTouch) -> Result<bool, RepositoryError> {
    let touched = sqlx::query(
        "UPDATE workflow_executions SET started_at = COALESCE(started_at, $1), session_expires_at = $2 \
         WHERE id = $3 AND status = 'INITIATED'",
    )
    .bind(to_millis(touch.now))
    .bind(to_millis(touch.session_expires_at))
    .bind(touch.execution)
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(touched.rows_affected() == 1)
}

pub(super) async fn record_blob_deletions(
    tx: &mut Tx<'_>,
    prefixes: &[String],
    now: DateTime<Utc>,
) -> Result<(), RepositoryError> {
    for prefix in prefixes {
        sqlx::query("INSERT INTO blob_deletions (prefix, created_at) VALUES ($1, $2) ON CONFLICT (prefix) DO NOTHING")
            .bind(prefix)
            .bind(to_millis(now))
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
    }
    Ok(())
}
