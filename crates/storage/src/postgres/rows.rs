//! Reading PostgreSQL rows back into the domain's types; anything that does not parse is a
//! corrupt record. Every integer column is BIGINT (i64), every instant BIGINT milliseconds.

use std::str::FromStr;

use sqlx::postgres::PgRow;
use sqlx::Row;
use uuid::Uuid;
use verifyd_domain::model::{
    Account, ApiClient, ApiOptions, CaptureMethod, Category, Channel, Classifier, Credential,
    ExecutionApi, ExecutionCredential, ExecutionStatus, MediaType, Part, Scope, Tenant,
    WebSettings, WorkflowExecution,
};
use verifyd_domain::repository::{CredentialOnFile, RepositoryError};
use verifyd_domain::rules::workflow_definition::WorkflowKey;
use verifyd_domain::timestamp::from_millis;

use crate::error::backend;
use crate::sealing::{Column, Sealing};

fn text(row: &PgRow, column: &str) -> Result<String, RepositoryError> {
    row.try_get::<String, _>(column).map_err(backend)
}

fn optional_text(row: &PgRow, column: &str) -> Result<Option<String>, RepositoryError> {
    row.try_get::<Option<String>, _>(column).map_err(backend)
}

pub(super) fn uuid(row: &PgRow, column: &str) -> Result<Uuid, RepositoryError> {
    row.try_get::<Uuid, _>(column).map_err(backend)
}

fn instant(row: &PgRow, column: &str) -> Result<chrono::DateTime<chrono::Utc>, RepositoryError> {
    row.try_get::<i64, _>(column)
        .map(from_millis)
        .map_err(backend)
}

fn optional_instant(
    row: &PgRow,
    column: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, RepositoryError> {
    row.try_get::<Option<i64>, _>(column)
        .map(|value| value.map(from_millis))
        .map_err(backend)
}

fn parsed<T: FromStr<Err = String>>(row: &PgRow, column: &str) -> Result<T, RepositoryError> {
    text(row, column)?
        .parse()
        .map_err(|error: String| RepositoryError::Corrupt(format!("{column}: {error}")))
}

/// A JSON value opened from a sealed column.
pub(super) fn parsed_json<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, RepositoryError> {
    serde_json::from_str(text).map_err(|error| RepositoryError::Corrupt(error.to_string()))
}

fn json_column<T: serde::de::DeserializeOwned>(
    row: &PgRow,
    column: &str,
) -> Result<Option<T>, RepositoryError> {
    optional_text(row, column)?
        .map(|value| serde_json::from_str(&value))
        .transpose()
        .map_err(|error| RepositoryError::Corrupt(format!("{column}: {error}")))
}

/// A TEXT[] column of names.
fn list<T: FromStr<Err = String>>(row: &PgRow, column: &str) -> Result<Vec<T>, RepositoryError> {
    row.try_get::<Vec<String>, _>(column)
        .map_err(backend)?
        .iter()
        .map(|item| item.parse().map_err(RepositoryError::Corrupt))
        .collect()
}

pub fn tenant(row: &PgRow) -> Result<Tenant, RepositoryError> {
    Ok(Tenant {
        id: uuid(row, "id")?,
        name: text(row, "name")?,
        accepted_id_types: json_column(row, "accepted_id_types")?,
        callback_url: optional_text(row, "callback_url")?,
        created_at: instant(row, "created_at")?,
    })
}

pub fn claimed_job(row: &PgRow) -> Result<verifyd_domain::repository::ClaimedJob, RepositoryError> {
    let attempts = row.try_get::<i64, _>("attempts").map_err(backend)?;
    Ok(verifyd_domain::repository::ClaimedJob {
        id: uuid(row, "id")?,
        kind: text(row, "kind")?,
        execution_id: uuid(row, "execution_id")?,
        attempts: u32::try_from(attempts)
            .map_err(|error| RepositoryError::Corrupt(error.to_string()))?,
        lease_token: uuid(row, "lease_token")?,
    })
}

pub fn callback(row: &PgRow) -> Result<verifyd_domain::repository::NewCallback, RepositoryError> {
    let key = row.try_get::<i64, _>("definition_key").map_err(backend)?;
    Ok(verifyd_domain::repository::NewCallback {
        id: uuid(row, "id")?,
        tenant_id: uuid(row, "tenant_id")?,
        account_id: uuid(row, "account_id")?,
        execution_id: uuid(row, "execution_id")?,
        definition_key: u16::try_from(key)
            .map_err(|error| RepositoryError::Corrupt(error.to_string()))?,
        api: parsed::<ExecutionApi>(row, "api")?,
        status: parsed::<ExecutionStatus>(row, "status")?,
        user_reference: optional_text(row, "user_reference")?,
        url: text(row, "url")?,
        created_at: instant(row, "created_at")?,
        search_id: row.try_get("search_id").map_err(backend)?,
    })
}

pub fn callback_record(
    row: &PgRow,
) -> Result<verifyd_domain::repository::CallbackRecord, RepositoryError> {
    let delivered_at = optional_instant(row, "delivered_at")?;
    let gave_up_at = optional_instant(row, "gave_up_at")?;
    let next = instant(row, "next_attempt_at")?;
    Ok(verifyd_domain::repository::CallbackRecord {
        callback: callback(row)?,
        delivered_at,
        gave_up_at,
        next_attempt_at: (delivered_at.is_none() && gave_up_at.is_none()).then_some(next),
        attempts: Vec::new(),
    })
}

pub fn callback_attempt(
    row: &PgRow,
) -> Result<verifyd_domain::repository::CallbackAttempt, RepositoryError> {
    let status = row
        .try_get::<Option<i64>, _>("status_code")
        .map_err(backend)?;
    let duration = row.try_get::<i64, _>("duration_ms").map_err(backend)?;
    Ok(verifyd_domain::repository::CallbackAttempt {
        attempted_at: instant(row, "attempted_at")?,
        status_code: status.and_then(|code| u16::try_from(code).ok()),
        error: optional_text(row, "error")?,
        duration_ms: u64::try_from(duration).unwrap_or(0),
    })
}

pub fn api_client(row: &PgRow) -> Result<ApiClient, RepositoryError> {
    Ok(ApiClient {
        client_id: text(row, "client_id")?,
        tenant_id: uuid(row, "tenant_id")?,
        secret_hash: text(row, "secret_hash")?,
        scopes: list::<Scope>(row, "scopes")?,
        created_at: instant(row, "created_at")?,
    })
}

pub fn account(row: &PgRow) -> Result<Account, RepositoryError> {
    Ok(Account {
        id: uuid(row, "id")?,
        tenant_id: uuid(row, "tenant_id")?,
        created_at: instant(row, "created_at")?,
        updated_at: instant(row, "updated_at")?,
    })
}

fn workflow_key(row: &PgRow) -> Result<WorkflowKey, RepositoryError> {
    let key = row.try_get::<i64, _>("definition_key").map_err(backend)?;
    u16::try_from(key)
        .ok()
        .and_then(WorkflowKey::new)
        .ok_or_else(|| RepositoryError::Corrupt(format!("definition_key {key}")))
}

/// A row of `executions(..)`: the outcome is opened with the account's data key beside it.
pub fn execution(row: &PgRow, sealing: &Sealing) -> Result<WorkflowExecution, RepositoryError> {
    let id = uuid(row, "id")?;
    let account_id = uuid(row, "account_id")?;
    let wrapped: Option<Vec<u8>> = row.try_get("data_key").map_err(backend)?;
    let outcome = sealing.open(
        optional_text(row, "outcome")?,
        Column::Outcome,
        id,
        account_id,
        wrapped.as_deref(),
    )?;
    let user_consent = sealing.open(
        optional_text(row, "user_consent")?,
        Column::UserConsent,
        id,
        account_id,
        wrapped.as_deref(),
    )?;
    Ok(WorkflowExecution {
        id,
        account_id,
        tenant_id: uuid(row, "tenant_id")?,
        definition_key: workflow_key(row)?,
        api: parsed::<ExecutionApi>(row, "api")?,
        status: parsed::<ExecutionStatus>(row, "status")?,
        customer_internal_reference: text(row, "customer_internal_reference")?,
        user_reference: optional_text(row, "user_reference")?,
        reporting_criteria: optional_text(row, "reporting_criteria")?,
        callback_url: optional_text(row, "callback_url")?,
        web: WebSettings {
            success_url: optional_text(row, "success_url")?,
            error_url: optional_text(row, "error_url")?,
            locale: optional_text(row, "locale")?,
            capture_method: parsed::<CaptureMethod>(row, "capture_method")?,
        },
        user_consent: user_consent.as_deref().map(parsed_json).transpose()?,
        screening_properties: optional_text(row, "screening_properties")?,
        options: ApiOptions::from_columns(
            optional_text(row, "enabled_fields")?.as_deref(),
            &text(row, "callback_granularity")?,
        )
        .map_err(RepositoryError::Corrupt)?,
        token_expires_at: instant(row, "token_expires_at")?,
        session_expires_at: optional_instant(row, "session_expires_at")?,
        created_at: instant(row, "created_at")?,
        started_at: optional_instant(row, "started_at")?,
        acquired_at: optional_instant(row, "acquired_at")?,
        completed_at: optional_instant(row, "completed_at")?,
        outcome: outcome.as_deref().map(parsed_json).transpose()?,
    })
}

pub fn credential(row: &PgRow) -> Result<Credential, RepositoryError> {
    Ok(Credential {
        id: uuid(row, "id")?,
        tenant_id: uuid(row, "tenant_id")?,
        account_id: uuid(row, "account_id")?,
        execution_id: uuid(row, "execution_id")?,
        category: parsed::<Category>(row, "category")?,
        country: json_column(row, "country_preset")?,
        id_type: json_column(row, "type_preset")?,
        chosen: json_column(row, "chosen_document")?,
        created_at: instant(row, "created_at")?,
    })
}

pub fn execution_credential(row: &PgRow) -> Result<ExecutionCredential, RepositoryError> {
    let position = row.try_get::<i64, _>("position").map_err(backend)?;
    Ok(ExecutionCredential {
        credential: credential(row)?,
        position: u32::try_from(position)
            .map_err(|error| RepositoryError::Corrupt(error.to_string()))?,
        allowed_channels: list::<Channel>(row, "allowed_channels")?,
    })
}

pub fn credential_on_file(row: &PgRow) -> Result<CredentialOnFile, RepositoryError> {
    Ok(CredentialOnFile {
        credential: credential(row)?,
        execution_status: parsed::<ExecutionStatus>(row, "execution_status")?,
        definition_key: workflow_key(row)?,
        classifiers: list::<Classifier>(row, "classifiers")?,
    })
}

pub fn part(row: &PgRow) -> Result<Part, RepositoryError> {
    let size = row.try_get::<i64, _>("size_bytes").map_err(backend)?;
    let dimension = |column: &str| -> Result<Option<u32>, RepositoryError> {
        row.try_get::<Option<i64>, _>(column)
            .map_err(backend)?
            .map(|value| {
                u32::try_from(value).map_err(|error| RepositoryError::Corrupt(error.to_string()))
            })
            .transpose()
    };
    Ok(Part {
        credential_id: uuid(row, "credential_id")?,
        classifier: parsed::<Classifier>(row, "classifier")?,
        blob_key: text(row, "blob_key")?,
        media_type: parsed::<MediaType>(row, "media_type")?,
        size_bytes: u64::try_from(size)
            .map_err(|error| RepositoryError::Corrupt(error.to_string()))?,
        width: dimension("width")?,
        height: dimension("height")?,
        created_at: instant(row, "created_at")?,
    })
}
