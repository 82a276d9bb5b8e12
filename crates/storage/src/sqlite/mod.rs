//! The embedded default: SQLite in WAL mode. Writes go through a single connection so that
//! transactions within one process never fight over SQLite's one write lock; reads use a pool.

mod cluster;
mod data_keys;
mod document_verifications;
mod faces;
mod forget;
mod read;
mod retention;
mod rows;
mod screening;
mod screening_reviews;
mod stats;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
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
use crate::private_files;
use crate::sealing::{self, Column, Sealing};
use crate::wake::JobWake;
use crate::{RepositoryOptions, StorageError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub struct SqliteRepository {
    reads: SqlitePool,
    writes: SqlitePool,
    /// Wakes this process's idle workers; SQLite tells no other process (they poll).
    jobs_due: JobWake,
    sealing: Sealing,
}

impl SqliteRepository {
    /// `options.max_connections` sizes the read pool (default 8); writes always go through one
    /// connection.
    pub async fn open(url: &str, options: &RepositoryOptions) -> Result<Self, StorageError> {
        let readers = options.max_connections_or(8)?;
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Deleted personal data is overwritten, not left in free pages (`forget`).
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(10));
        let database = options.get_filename();
        if let Some(parent) = database.parent() {
            if !parent.as_os_str().is_empty() {
                private_files::create_private_dir(parent).map_err(|error| {
                    StorageError::Config(format!("cannot create {}: {error}", parent.display()))
                })?;
            }
        }
        // An installation from before files were private: its database and the files beside
        // it lose their group and other bits (new ones are created private by the umask).
        for file in private_files::sqlite_files(database) {
            private_files::tighten(&file).map_err(|error| {
                StorageError::Config(format!(
                    "cannot make {} private to this user: {error}",
                    file.display()
                ))
            })?;
        }
        let writes = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&writes).await?;
        let reads = SqlitePoolOptions::new()
            .max_connections(readers)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self {
            reads,
            writes,
            jobs_due: JobWake::default(),
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
        let mut tx = self.writes.begin().await.map_err(backend)?;
        let sql = if only_if_empty {
            "DELETE FROM accounts WHERE id = ? AND tenant_id = ? AND \
             NOT EXISTS (SELECT 1 FROM workflow_executions WHERE account_id = accounts.id)"
        } else {
            "DELETE FROM accounts WHERE id = ? AND tenant_id = ?"
        };
        let deleted = sqlx::query(sql)
            .bind(account.to_string())
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if deleted.rows_affected() == 0 {
            return Ok(false);
        }
        data_keys::destroy(&mut tx, account).await?;
        cancel_netverify_callbacks(&mut tx, "account_id", account, tenant, now).await?;
        record_blob_deletions(&mut tx, blob_prefixes, now).await?;
        tx.commit().await.map_err(backend)?;
        forget::checkpoint(&self.writes).await;
        Ok(true)
    }

    /// Seals personal columns with `envelope` (every repository but `verifyd migrate`'s).
    pub fn sealed_with(self, envelope: Envelope) -> Self {
        Self {
            sealing: Sealing::new(envelope),
            ..self
        }
    }

    /// The read-only pool: `verifyd migrate` reads the whole database in one snapshot there.
    pub(crate) fn reads(&self) -> &SqlitePool {
        &self.reads
    }
}

/// Executions with their owner's wrapped data key (`rows::execution` opens the outcome).
pub(super) fn executions(condition: &str) -> String {
    format!(
        "SELECT *, {} FROM workflow_executions {condition}",
        sealing::data_key_of("workflow_executions.account_id")
    )
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, RepositoryError> {
    serde_json::to_string(value).map_err(|error| RepositoryError::Corrupt(error.to_string()))
}

#[async_trait]
impl Repository for SqliteRepository {
    async fn ping(&self) -> Result<(), RepositoryError> {
        sqlx::query("SELECT 1")
            .execute(&self.reads)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn insert_tenant(
        &self,
        tenant: &Tenant,
        client: &ApiClient,
    ) -> Result<(), RepositoryError> {
        let mut tx = self.writes.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO tenants (id, name, accepted_id_types, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(tenant.id.to_string())
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
        let query = sqlx::query("SELECT * FROM tenants WHERE id = ?").bind(id.to_string());
        read::optional(&self.reads, query, rows::tenant).await
    }

    async fn tenant_by_name(&self, name: &str) -> Result<Option<Tenant>, RepositoryError> {
        let query = sqlx::query("SELECT * FROM tenants WHERE name = ?").bind(name);
        read::optional(&self.reads, query, rows::tenant).await
    }

    async fn set_accepted_id_types(
        &self,
        tenant: Uuid,
        accepted: Option<&[AcceptedCountry]>,
    ) -> Result<(), RepositoryError> {
        sqlx::query("UPDATE tenants SET accepted_id_types = ? WHERE id = ?")
            .bind(accepted.map(json).transpose()?)
            .bind(tenant.to_string())
            .execute(&self.writes)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn set_tenant_callback_url(
        &self,
        tenant: Uuid,
        url: Option<&str>,
    ) -> Result<(), RepositoryError> {
        sqlx::query("UPDATE tenants SET callback_url = ? WHERE id = ?")
            .bind(url)
            .bind(tenant.to_string())
            .execute(&self.writes)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn insert_api_client(&self, client: &ApiClient) -> Result<(), RepositoryError> {
        let mut tx = self.writes.begin().await.map_err(backend)?;
        insert_client(&mut tx, client).await?;
        tx.commit().await.map_err(backend)
    }

    async fn api_client(&self, client_id: &str) -> Result<Option<ApiClient>, RepositoryError> {
        let query = sqlx::query("SELECT * FROM api_clients WHERE client_id = ?").bind(client_id);
        read::optional(&self.reads, query, rows::api_client).await
    }

    async fn server_secret(
        &self,
        name: &str,
        candidate: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>, RepositoryError> {
        sqlx::query("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(candidate)
            .bind(to_millis(now))
            .execute(&self.writes)
            .await
            .map_err(backend)?;
        let row = sqlx::query("SELECT value FROM server_secrets WHERE name = ?")
            .bind(name)
            .fetch_one(&self.writes)
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
            sqlx::query("UPDATE server_secrets SET value = ? WHERE name = ? AND value = ?")
                .bind(replacement)
                .bind(name)
                .bind(expected)
                .execute(&self.writes)
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
        let mut connection = self.reads.acquire().await.map_err(backend)?;
        let stored = data_keys::wrapped(&mut connection, owner).await?;
        drop(connection);
        if stored.is_some() || !create {
            return stored
                .map(|wrapped| self.sealing.unwrap_key(owner, &wrapped))
                .transpose();
        }
        let mut tx = self.writes.begin().await.map_err(backend)?;
        // A blob stored for an owner deleted meanwhile (an upload racing the deletion) must not
        // bring its destroyed key back: no owner, no key, and the blob is not stored.
        let exists = sqlx::query("SELECT 1 FROM accounts WHERE id = ? UNION ALL SELECT 1 FROM document_verifications WHERE id = ?")
            .bind(owner.to_string())
            .bind(owner.to_string())
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
        retention::set(&self.writes, tenant, retention).await
    }

    async fn retentions(&self) -> Result<Vec<(Uuid, Retention)>, RepositoryError> {
        retention::all(&self.reads).await
    }

    async fn retention_due(
        &self,
        tenant: Uuid,
        before: DateTime<Utc>,
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: u32,
    ) -> Result<Vec<WorkflowExecution>, RepositoryError> {
        retention::due(&self.reads, &self.sealing, tenant, before, after, limit).await
    }

    async fn document_verifications_due(
        &self,
        tenant: Uuid,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<DocumentVerification>, RepositoryError> {
        document_verifications::finished_before(&self.reads, &self.sealing, tenant, before, limit)
            .await
    }

    async fn account(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Option<Account>, RepositoryError> {
        let query = sqlx::query("SELECT * FROM accounts WHERE id = ? AND tenant_id = ?")
            .bind(account.to_string())
            .bind(tenant.to_string());
        read::optional(&self.reads, query, rows::account).await
    }

    async fn insert_execution(&self, new: &NewExecution) -> Result<(), RepositoryError> {
        let mut tx = self.writes.begin().await.map_err(backend)?;
        let account = &new.account;
        if new.account_is_new {
            sqlx::query(
                "INSERT INTO accounts (id, tenant_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
            )
            .bind(account.id.to_string())
            .bind(account.tenant_id.to_string())
            .bind(to_millis(account.created_at))
            .bind(to_millis(account.updated_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        } else {
            let updated =
                sqlx::query("UPDATE accounts SET updated_at = ? WHERE id = ? AND tenant_id = ?")
                    .bind(to_millis(account.updated_at))
                    .bind(account.id.to_string())
                    .bind(account.tenant_id.to_string())
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
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(e.id.to_string())
        .bind(e.account_id.to_string())
        .bind(e.tenant_id.to_string())
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
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(c.id.to_string())
                .bind(c.tenant_id.to_string())
                .bind(c.account_id.to_string())
                .bind(c.execution_id.to_string())
                .bind(c.category.as_str())
                .bind(c.country.as_ref().map(json).transpose()?)
                .bind(c.id_type.as_ref().map(json).transpose()?)
                .bind(to_millis(c.created_at))
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            }
            let channels: Vec<&str> = linked.allowed_channels.iter().map(|c| c.as_str()).collect();
            sqlx::query("INSERT INTO workflow_execution_credentials (execution_id, credential_id, position, allowed_channels) VALUES (?, ?, ?, ?)")
                .bind(e.id.to_string())
                .bind(c.id.to_string())
                .bind(i64::from(linked.position))
                .bind(channels.join(","))
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
        let sql = executions("WHERE account_id = ? AND tenant_id = ? ORDER BY created_at");
        let query = sqlx::query(&sql)
            .bind(account.to_string())
            .bind(tenant.to_string());
        read::all(&self.reads, query, |row| {
            rows::execution(row, &self.sealing)
        })
        .await
    }

    async fn execution(
        &self,
        tenant: Uuid,
        account: Uuid,
        execution: Uuid,
    ) -> Result<Option<WorkflowExecution>, RepositoryError> {
        let sql = executions("WHERE id = ? AND account_id = ? AND tenant_id = ?");
        let query = sqlx::query(&sql)
            .bind(execution.to_string())
            .bind(account.to_string())
            .bind(tenant.to_string());
        read::optional(&self.reads, query, |row| {
            rows::execution(row, &self.sealing)
        })
        .await
    }

    async fn execution_credentials(
        &self,
        execution: Uuid,
    ) -> Result<Vec<ExecutionCredential>, RepositoryError> {
        let query = sqlx::query(
            "SELECT c.*, l.position, l.allowed_channels FROM workflow_execution_credentials l \
             JOIN credentials c ON c.id = l.credential_id WHERE l.execution_id = ? ORDER BY l.position",
        )
        .bind(execution.to_string());
        read::all(&self.reads, query, rows::execution_credential).await
    }

    async fn credential(
        &self,
        tenant: Uuid,
        account: Uuid,
        credential: Uuid,
    ) -> Result<Option<Credential>, RepositoryError> {
        let query = sqlx::query(
            "SELECT * FROM credentials WHERE id = ? AND account_id = ? AND tenant_id = ?",
        )
        .bind(credential.to_string())
        .bind(account.to_string())
        .bind(tenant.to_string());
        read::optional(&self.reads, query, rows::credential).await
    }

    async fn account_credentials(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Vec<CredentialOnFile>, RepositoryError> {
        let query = sqlx::query(
            "SELECT c.*, e.status AS execution_status, e.definition_key AS definition_key, \
             (SELECT group_concat(p.classifier) FROM parts p WHERE p.credential_id = c.id) AS classifiers \
             FROM credentials c JOIN workflow_executions e ON e.id = c.execution_id \
             WHERE c.account_id = ? AND c.tenant_id = ? ORDER BY c.created_at",
        )
        .bind(account.to_string())
        .bind(tenant.to_string());
        read::all(&self.reads, query, rows::credential_on_file).await
    }

    async fn choose_document(
        &self,
        credential: Uuid,
        choice: &DocumentChoice,
    ) -> Result<(), RepositoryError> {
        sqlx::query("UPDATE credentials SET chosen_document = ? WHERE id = ?")
            .bind(json(choice)?)
            .bind(credential.to_string())
            .execute(&self.writes)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn parts(&self, credentials: &[Uuid]) -> Result<Vec<Part>, RepositoryError> {
        if credentials.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = vec!["?"; credentials.len()].join(", ");
        let sql = format!(
            "SELECT * FROM parts WHERE credential_id IN ({placeholders}) ORDER BY created_at"
        );
        let mut query = sqlx::query(&sql);
        for id in credentials {
            query = query.bind(id.to_string());
        }
        read::all(&self.reads, query, rows::part).await
    }

    async fn part(
        &self,
        credential: Uuid,
        classifier: Classifier,
    ) -> Result<Option<Part>, RepositoryError> {
        select_part(&self.reads, credential, classifier).await
    }

    async fn put_part(
        &self,
        part: &Part,
        add_only: bool,
        touch: &SessionTouch,
    ) -> Result<PutOutcome, RepositoryError> {
        let mut tx = self.writes.begin().await.map_err(backend)?;
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
        let mut tx = self.writes.begin().await.map_err(backend)?;
        if !touch_session(&mut tx, touch).await? {
            return Ok(DeleteOutcome::ExecutionClosed);
        }
        let classifier = classifier.map(|c| c.to_string());
        let removed = sqlx::query("DELETE FROM parts WHERE credential_id = ? AND (? IS NULL OR classifier = ?) RETURNING *")
            .bind(credential.to_string())
            .bind(&classifier)
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
        let mut tx = self.writes.begin().await.map_err(backend)?;
        let moved = sqlx::query("UPDATE workflow_executions SET status = 'ACQUIRED', acquired_at = ? WHERE id = ? AND status = 'INITIATED'")
            .bind(to_millis(at))
            .bind(execution.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if moved.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("INSERT INTO jobs (id, kind, execution_id, run_at, attempts, created_at) VALUES (?, ?, ?, ?, 0, ?)")
            .bind(job.id.to_string())
            .bind(job.kind)
            .bind(job.execution_id.to_string())
            .bind(to_millis(job.run_at))
            .bind(to_millis(job.created_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if let Some(callback) = callback {
            insert_callback(&mut tx, callback).await?;
        }
        tx.commit().await.map_err(backend)?;
        self.jobs_due.wake();
        Ok(true)
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
        sqlx::query(
            "UPDATE jobs SET lease_until = ?, lease_token = ?, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM jobs WHERE run_at <= ? AND (lease_until IS NULL OR lease_until <= ?) \
             ORDER BY run_at LIMIT 1) RETURNING id, kind, execution_id, attempts, lease_token",
        )
        .bind(to_millis(lease_until))
        .bind(lease_token.to_string())
        .bind(to_millis(now))
        .bind(to_millis(now))
        .fetch_optional(&self.writes)
        .await
        .map_err(backend)?
        .map(|row| rows::claimed_job(&row))
        .transpose()
    }

    async fn complete_processing(
        &self,
        job: &ClaimedJob,
        outcome: &serde_json::Value,
        completed_at: DateTime<Utc>,
        callback: Option<&NewCallback>,
        verified_documents: &[DocumentFingerprint],
    ) -> Result<bool, RepositoryError> {
        let mut tx = self.writes.begin().await.map_err(backend)?;
        let held = sqlx::query("DELETE FROM jobs WHERE id = ? AND lease_token = ?")
            .bind(job.id.to_string())
            .bind(job.lease_token.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if held.rows_affected() == 0 {
            return Ok(false);
        }
        let owner =
            sqlx::query("SELECT tenant_id, account_id FROM workflow_executions WHERE id = ?")
                .bind(job.execution_id.to_string())
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend)?;
        let Some(owner) = owner else {
            // The execution is gone: drop the job, report nothing.
            tx.commit().await.map_err(backend)?;
            return Ok(false);
        };
        let (tenant, account) = (
            rows::uuid(&owner, "tenant_id")?,
            rows::uuid(&owner, "account_id")?,
        );
        let key = data_keys::get_or_create(&mut tx, &self.sealing, tenant, account).await?;
        let sealed = self
            .sealing
            .seal(&key, Column::Outcome, job.execution_id, &json(outcome)?)?;
        let moved = sqlx::query(
            "UPDATE workflow_executions SET status = 'PROCESSED', outcome = ?, completed_at = ? WHERE id = ? AND status = 'ACQUIRED'",
        )
        .bind(sealed)
        .bind(to_millis(completed_at))
        .bind(job.execution_id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if moved.rows_affected() == 0 {
            // The execution is gone or was processed: drop the job, report nothing.
            tx.commit().await.map_err(backend)?;
            return Ok(false);
        }
        if let Some(callback) = callback {
            insert_callback(&mut tx, callback).await?;
        }
        for document in verified_documents {
            sqlx::query(
                "INSERT OR IGNORE INTO document_fingerprints (tenant_id, fingerprint, account_id, execution_id, created_at) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(document.tenant_id.to_string())
            .bind(&document.fingerprint)
            .bind(document.account_id.to_string())
            .bind(document.execution_id.to_string())
            .bind(to_millis(completed_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn accounts_with_document(
        &self,
        tenant: Uuid,
        fingerprint: &str,
        except: Uuid,
    ) -> Result<Vec<Uuid>, RepositoryError> {
        let query = sqlx::query(
            "SELECT account_id FROM document_fingerprints WHERE tenant_id = ? AND fingerprint = ? \
             AND account_id <> ? ORDER BY created_at",
        )
        .bind(tenant.to_string())
        .bind(fingerprint)
        .bind(except.to_string());
        read::all(&self.reads, query, |row| rows::uuid(row, "account_id")).await
    }

    async fn put_liveness_challenge(
        &self,
        challenge: &LivenessChallenge,
    ) -> Result<(), RepositoryError> {
        faces::put_challenge(&self.writes, challenge).await
    }

    async fn liveness_challenge(
        &self,
        credential: Uuid,
    ) -> Result<Option<LivenessChallenge>, RepositoryError> {
        faces::challenge(&self.reads, credential).await
    }

    async fn liveness_fingerprints(
        &self,
        tenant: Uuid,
        except_execution: Uuid,
    ) -> Result<Vec<u64>, RepositoryError> {
        faces::fingerprints(&self.reads, tenant, except_execution).await
    }

    async fn record_face_evidence(&self, evidence: &FaceEvidence) -> Result<(), RepositoryError> {
        faces::record_evidence(&self.writes, &self.sealing, evidence).await
    }

    async fn face_templates(
        &self,
        tenant: Uuid,
        except_account: Uuid,
    ) -> Result<Vec<StoredFaceTemplate>, RepositoryError> {
        faces::templates(&self.reads, &self.sealing, tenant, except_account).await
    }

    async fn add_generated_part(&self, part: &Part) -> Result<(), RepositoryError> {
        upsert_part(&self.writes, part).await
    }

    async fn reschedule_job(
        &self,
        job: &ClaimedJob,
        run_at: DateTime<Utc>,
        error: &str,
    ) -> Result<(), RepositoryError> {
        let given_back = sqlx::query("UPDATE jobs SET run_at = ?, lease_until = NULL, lease_token = NULL, last_error = ? WHERE id = ? AND lease_token = ?")
            .bind(to_millis(run_at))
            .bind(error)
            .bind(job.id.to_string())
            .bind(job.lease_token.to_string())
            .execute(&self.writes)
            .await
            .map_err(backend)?;
        if given_back.rows_affected() == 1 {
            self.jobs_due.wake();
        }
        Ok(())
    }

    async fn claim_callback(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        lease_token: Uuid,
    ) -> Result<Option<ClaimedCallback>, RepositoryError> {
        let row = sqlx::query(
            "UPDATE callbacks SET lease_until = ?, lease_token = ? WHERE id = (SELECT id FROM callbacks \
             WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= ? \
             AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at LIMIT 1) RETURNING *",
        )
        .bind(to_millis(lease_until))
        .bind(lease_token.to_string())
        .bind(to_millis(now))
        .bind(to_millis(now))
        .fetch_optional(&self.writes)
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let attempts = row.try_get::<i64, _>("attempts").map_err(backend)?;
        Ok(Some(ClaimedCallback {
            callback: rows::callback(&row)?,
            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
            lease_token,
        }))
    }

    async fn finish_callback_attempt(
        &self,
        claimed: &ClaimedCallback,
        attempt: &CallbackAttempt,
        state: CallbackState,
    ) -> Result<(), RepositoryError> {
        let mut tx = self.writes.begin().await.map_err(backend)?;
        // A callback given up meanwhile (its netverify transaction was deleted) stays given up,
        // whatever the deliverer that held it reports.
        let (delivered, gave_up, next) = match state {
            CallbackState::Delivered => (Some(to_millis(attempt.attempted_at)), None, None),
            CallbackState::GaveUp => (None, Some(to_millis(attempt.attempted_at)), None),
            CallbackState::RetryAt(at) => (None, None, Some(to_millis(at))),
        };
        let held = sqlx::query(
            "UPDATE callbacks SET attempts = attempts + 1, delivered_at = ?, gave_up_at = ?, \
             next_attempt_at = COALESCE(?, next_attempt_at), lease_until = NULL, lease_token = NULL \
             WHERE id = ? AND lease_token = ? AND delivered_at IS NULL AND gave_up_at IS NULL",
        )
        .bind(delivered)
        .bind(gave_up)
        .bind(next)
        .bind(claimed.callback.id.to_string())
        .bind(claimed.lease_token.to_string())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if held.rows_affected() == 0 {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO callback_attempts (callback_id, attempt, attempted_at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(claimed.callback.id.to_string())
        .bind(i64::from(claimed.attempts) + 1)
        .bind(to_millis(attempt.attempted_at))
        .bind(attempt.status_code.map(i64::from))
        .bind(&attempt.error)
        .bind(i64::try_from(attempt.duration_ms).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn callbacks_of(
        &self,
        tenant: Uuid,
        execution: Uuid,
    ) -> Result<Vec<CallbackRecord>, RepositoryError> {
        let query = sqlx::query(
            "SELECT * FROM callbacks WHERE tenant_id = ? AND execution_id = ? ORDER BY created_at",
        )
        .bind(tenant.to_string())
        .bind(execution.to_string());
        let mut records = read::all(&self.reads, query, rows::callback_record).await?;
        for record in &mut records {
            let query = sqlx::query(
                "SELECT * FROM callback_attempts WHERE callback_id = ? ORDER BY attempt",
            )
            .bind(record.callback.id.to_string());
            record.attempts = read::all(&self.reads, query, rows::callback_attempt).await?;
        }
        Ok(records)
    }

    async fn due_expiries(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<WorkflowExecution>, RepositoryError> {
        let sql = executions(
            "WHERE status = 'INITIATED' AND \
             ((session_expires_at IS NULL AND token_expires_at <= ?) OR session_expires_at <= ?) \
             ORDER BY token_expires_at LIMIT ?",
        );
        let query = sqlx::query(&sql)
            .bind(to_millis(now))
            .bind(to_millis(now))
            .bind(i64::from(limit));
        read::all(&self.reads, query, |row| {
            rows::execution(row, &self.sealing)
        })
        .await
    }

    async fn expire_execution(
        &self,
        execution: Uuid,
        status: ExecutionStatus,
        now: DateTime<Utc>,
        blob_prefixes: &[String],
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError> {
        let mut tx = self.writes.begin().await.map_err(backend)?;
        let moved = sqlx::query(
            "UPDATE workflow_executions SET status = ?, completed_at = ? WHERE id = ? AND status = 'INITIATED' AND \
             ((session_expires_at IS NULL AND token_expires_at <= ?) OR session_expires_at <= ?)",
        )
        .bind(status.as_str())
        .bind(to_millis(now))
        .bind(execution.to_string())
        .bind(to_millis(now))
        .bind(to_millis(now))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if moved.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM parts WHERE credential_id IN (SELECT id FROM credentials WHERE execution_id = ?)")
            .bind(execution.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        record_blob_deletions(&mut tx, blob_prefixes, now).await?;
        if let Some(callback) = callback {
            insert_callback(&mut tx, callback).await?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn overdue_jobs(&self, before: DateTime<Utc>) -> Result<u64, RepositoryError> {
        let row = sqlx::query("SELECT COUNT(*) AS overdue FROM jobs WHERE run_at < ?")
            .bind(to_millis(before))
            .fetch_one(&self.reads)
            .await
            .map_err(backend)?;
        let count = row.try_get::<i64, _>("overdue").map_err(backend)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn discard_job(&self, job: &ClaimedJob) -> Result<(), RepositoryError> {
        sqlx::query("DELETE FROM jobs WHERE id = ? AND lease_token = ?")
            .bind(job.id.to_string())
            .bind(job.lease_token.to_string())
            .execute(&self.writes)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn execution_by_id(
        &self,
        execution: Uuid,
    ) -> Result<Option<WorkflowExecution>, RepositoryError> {
        let sql = executions("WHERE id = ?");
        let query = sqlx::query(&sql).bind(execution.to_string());
        read::optional(&self.reads, query, |row| {
            rows::execution(row, &self.sealing)
        })
        .await
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
        let mut tx = self.writes.begin().await.map_err(backend)?;
        let deleted = sqlx::query(
            "DELETE FROM workflow_executions WHERE id = ? AND account_id = ? AND tenant_id = ?",
        )
        .bind(execution.to_string())
        .bind(account.to_string())
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if deleted.rows_affected() == 0 {
            return Ok(false);
        }
        cancel_netverify_callbacks(&mut tx, "execution_id", execution, tenant, now).await?;
        record_blob_deletions(&mut tx, blob_prefixes, now).await?;
        tx.commit().await.map_err(backend)?;
        forget::checkpoint(&self.writes).await;
        Ok(true)
    }

    async fn pending_blob_deletions(&self) -> Result<Vec<String>, RepositoryError> {
        let query = sqlx::query("SELECT prefix FROM blob_deletions ORDER BY created_at");
        read::all(&self.reads, query, |row| {
            row.try_get::<String, _>("prefix").map_err(backend)
        })
        .await
    }

    async fn blob_deletion_done(&self, prefix: &str) -> Result<(), RepositoryError> {
        sqlx::query("DELETE FROM blob_deletions WHERE prefix = ?")
            .bind(prefix)
            .execute(&self.writes)
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
        cluster::take_turn(&self.writes, task, node, now, every).await
    }

    async fn admit_initiation(
        &self,
        tenant: Uuid,
        now: DateTime<Utc>,
        limits: RateLimits,
    ) -> Result<Result<(), u64>, RepositoryError> {
        cluster::admit_initiation(&self.writes, tenant, now, limits).await
    }

    async fn insert_watchlist(
        &self,
        list: &verifyd_domain::repository::StoredWatchlist,
    ) -> Result<(), RepositoryError> {
        screening::insert_watchlist(&self.writes, list).await
    }

    async fn current_watchlists(
        &self,
    ) -> Result<Vec<verifyd_domain::repository::WatchlistSummary>, RepositoryError> {
        screening::current(&self.reads).await
    }

    async fn watchlist_content(&self, id: Uuid) -> Result<Option<String>, RepositoryError> {
        screening::content(&self.reads, id).await
    }

    async fn screening_profile(
        &self,
        tenant: Uuid,
    ) -> Result<Option<verifyd_domain::repository::ScreeningProfile>, RepositoryError> {
        screening::profile(&self.reads, tenant).await
    }

    async fn set_screening_profile(
        &self,
        tenant: Uuid,
        profile: &verifyd_domain::repository::ScreeningProfile,
    ) -> Result<(), RepositoryError> {
        screening::set_profile(&self.writes, tenant, profile).await
    }

    async fn monitoring_tenants(
        &self,
    ) -> Result<Vec<(Uuid, verifyd_domain::repository::ScreeningProfile)>, RepositoryError> {
        screening::monitoring_tenants(&self.reads).await
    }

    async fn monitored_holders(
        &self,
        tenant: Uuid,
    ) -> Result<Vec<verifyd_domain::repository::StoredScreeningSearch>, RepositoryError> {
        screening::monitored_holders(&self.reads, &self.sealing, tenant).await
    }

    async fn record_screening_search(
        &self,
        search: &verifyd_domain::repository::StoredScreeningSearch,
        callback: Option<&NewCallback>,
    ) -> Result<(), RepositoryError> {
        screening::record_search(&self.writes, &self.sealing, search, callback).await
    }

    async fn search_profile(
        &self,
        tenant: Uuid,
        name: &str,
    ) -> Result<Option<verifyd_domain::repository::ScreeningProfile>, RepositoryError> {
        screening::search_profile(&self.reads, tenant, name).await
    }

    async fn set_search_profile(
        &self,
        tenant: Uuid,
        name: &str,
        profile: Option<&verifyd_domain::repository::ScreeningProfile>,
    ) -> Result<(), RepositoryError> {
        screening::set_search_profile(&self.writes, tenant, name, profile).await
    }

    async fn search_profiles(
        &self,
        tenant: Uuid,
    ) -> Result<Vec<(String, verifyd_domain::repository::ScreeningProfile)>, RepositoryError> {
        screening::search_profiles(&self.reads, tenant).await
    }

    async fn insert_screening_review(
        &self,
        review: &verifyd_domain::repository::ScreeningReview,
    ) -> Result<(), RepositoryError> {
        screening_reviews::insert(&self.writes, review).await
    }

    async fn screening_reviews(
        &self,
        tenant: Uuid,
        account: Option<Uuid>,
    ) -> Result<Vec<verifyd_domain::repository::ScreeningReview>, RepositoryError> {
        screening_reviews::of_account(&self.reads, tenant, account).await
    }

    async fn insert_document_verification(
        &self,
        verification: &DocumentVerification,
    ) -> Result<(), RepositoryError> {
        document_verifications::insert(&self.writes, verification).await
    }

    async fn document_verification(
        &self,
        id: Uuid,
    ) -> Result<Option<DocumentVerification>, RepositoryError> {
        document_verifications::by_id(&self.reads, &self.sealing, id).await
    }

    async fn document_verification_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<DocumentVerification>, RepositoryError> {
        document_verifications::by_token_hash(&self.reads, &self.sealing, token_hash).await
    }

    async fn put_document_pages(
        &self,
        id: Uuid,
        pages: &[DocumentPage],
        original_blob: Option<&str>,
        replace_all: bool,
        stamp: &PagesStamp,
    ) -> Result<PagesOutcome, RepositoryError> {
        document_verifications::put_pages(
            &self.writes,
            id,
            pages,
            original_blob,
            replace_all,
            stamp,
        )
        .await
    }

    async fn document_pages(&self, id: Uuid) -> Result<Vec<DocumentPage>, RepositoryError> {
        document_verifications::pages(&self.reads, id).await
    }

    async fn finalize_document_verification(
        &self,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        let finalized = document_verifications::finalize(&self.writes, id, now).await?;
        if finalized {
            self.jobs_due.wake();
        }
        Ok(finalized)
    }

    async fn claim_document_verification(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        lease_token: Uuid,
    ) -> Result<Option<DocumentVerification>, RepositoryError> {
        document_verifications::claim(&self.writes, &self.sealing, now, lease_until, lease_token)
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
            &self.writes,
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
        document_verifications::stale(&self.reads, &self.sealing, before, now, limit).await
    }

    async fn fail_document_verification(
        &self,
        id: Uuid,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
        callback: Option<&NewCallback>,
    ) -> Result<bool, RepositoryError> {
        document_verifications::fail(&self.writes, id, before, now, callback).await
    }

    async fn delete_document_verification(
        &self,
        id: Uuid,
        blob_prefix: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, RepositoryError> {
        let deleted = document_verifications::delete(&self.writes, id, blob_prefix, now).await?;
        if deleted {
            forget::checkpoint(&self.writes).await;
        }
        Ok(deleted)
    }

    async fn screening_searches_of(
        &self,
        tenant: Uuid,
        account: Uuid,
    ) -> Result<Vec<verifyd_domain::repository::StoredScreeningSearch>, RepositoryError> {
        screening::searches_of(&self.reads, &self.sealing, tenant, account).await
    }

    async fn screening_search(
        &self,
        tenant: Uuid,
        id: Uuid,
    ) -> Result<Option<verifyd_domain::repository::StoredScreeningSearch>, RepositoryError> {
        screening::search(&self.reads, &self.sealing, tenant, id).await
    }

    async fn queue_stats(
        &self,
        now: DateTime<Utc>,
    ) -> Result<verifyd_domain::repository::QueueStats, RepositoryError> {
        stats::queue(&self.reads, now).await
    }

    fn pool_stats(&self) -> Vec<verifyd_domain::repository::PoolStats> {
        stats::pools(&self.reads, &self.writes)
    }
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;

/// Stores `part`, replacing the credential's part of the same classifier.
async fn upsert_part<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
    part: &Part,
) -> Result<(), RepositoryError> {
    sqlx::query(
        "INSERT INTO parts (credential_id, classifier, blob_key, media_type, size_bytes, width, height, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (credential_id, classifier) DO UPDATE SET blob_key = excluded.blob_key, \
         media_type = excluded.media_type, size_bytes = excluded.size_bytes, width = excluded.width, \
         height = excluded.height, created_at = excluded.created_at",
    )
    .bind(part.credential_id.to_string())
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
    executor: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
    credential: Uuid,
    classifier: Classifier,
) -> Result<Option<Part>, RepositoryError> {
    sqlx::query("SELECT * FROM parts WHERE credential_id = ? AND classifier = ?")
        .bind(credential.to_string())
        .bind(classifier.to_string())
        .fetch_optional(executor)
        .await
        .map_err(backend)?
        .map(|row| rows::part(&row))
        .transpose()
}

async fn insert_client(tx: &mut Tx<'_>, client: &ApiClient) -> Result<(), RepositoryError> {
    let scopes: Vec<&str> = client.scopes.iter().map(|s| s.as_str()).collect();
    sqlx::query("INSERT INTO api_clients (client_id, tenant_id, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(&client.client_id)
        .bind(client.tenant_id.to_string())
        .bind(&client.secret_hash)
        .bind(scopes.join(","))
        .bind(to_millis(client.created_at))
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    Ok(())
}

/// A netverify callback carries the transaction's data: once that is deleted, it is not sent.
async fn cancel_netverify_callbacks(
    tx: &mut Tx<'_>,
    owner: &'static str,
    id: Uuid,
    tenant: Uuid,
    now: DateTime<Utc>,
) -> Result<(), RepositoryError> {
    sqlx::query(&format!(
        "UPDATE callbacks SET gave_up_at = ? WHERE {owner} = ? AND tenant_id = ? \
         AND api IN ('NETVERIFY_V4', 'PERFORM_NETVERIFY') AND delivered_at IS NULL AND gave_up_at IS NULL"
    ))
    .bind(to_millis(now))
    .bind(id.to_string())
    .bind(tenant.to_string())
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn insert_callback(
    tx: &mut Tx<'_>,
    callback: &NewCallback,
) -> Result<(), RepositoryError> {
    sqlx::query(
        "INSERT INTO callbacks (id, tenant_id, account_id, execution_id, definition_key, status, user_reference, url, created_at, next_attempt_at, api, search_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(callback.id.to_string())
    .bind(callback.tenant_id.to_string())
    .bind(callback.account_id.to_string())
    .bind(callback.execution_id.to_string())
    .bind(i64::from(callback.definition_key))
    .bind(callback.status.as_str())
    .bind(&callback.user_reference)
    .bind(&callback.url)
    .bind(to_millis(callback.created_at))
    .bind(to_millis(callback.created_at))
    .bind(callback.api.as_str())
    .bind(callback.search_id.map(|id| id.to_string()))
    .execute(&mut **tx)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Starts or extends the session, only while the execution still acquires.
async fn touch_session(tx: &mut Tx<'_>, touch: &SessionTouch) -> Result<bool, RepositoryError> {
    let touched = sqlx::query(
        "UPDATE workflow_executions SET started_at = COALESCE(started_at, ?), session_expires_at = ? \
         WHERE id = ? AND status = 'INITIATED'",
    )
    .bind(to_millis(touch.now))
    .bind(to_millis(touch.session_expires_at))
    .bind(touch.execution.to_string())
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
        sqlx::query("INSERT INTO blob_deletions (prefix, created_at) VALUES (?, ?) ON CONFLICT (prefix) DO NOTHING")
            .bind(prefix)
            .bind(to_millis(now))
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
    }
    Ok(())
}
