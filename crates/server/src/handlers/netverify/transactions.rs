//! The netverify delete API: `DELETE /api/netverify/v2/{scans|authentications|documents}/{ref}`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use verifyd_domain::service::TransactionKind;
use verifyd_types::ErrorResponse;

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::id;
use crate::state::AppState;

async fn delete(
    state: &AppState,
    caller: &verifyd_domain::model::Caller,
    kind: TransactionKind,
    reference: &str,
) -> Result<StatusCode, ApiError> {
    let reference = id("transactionReference", reference)?;
    state
        .verifyd
        .delete_transaction(caller, kind, reference)
        .await?;
    Ok(StatusCode::OK)
}

#[utoipa::path(
    delete,
    path = "/api/netverify/v2/scans/{scanReference}",
    operation_id = "deleteScan",
    tag = "netverify",
    params(("scanReference" = uuid::Uuid, Path, description = "The transaction reference of the v4 initiate response")),
    responses(
        (status = 200, description = "Images and extracted data are deleted"),
        (status = 404, description = "No such transaction", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn delete_scan(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<StatusCode, ApiError> {
    delete(&state, &caller, TransactionKind::Scan, &reference).await
}

#[utoipa::path(
    delete,
    path = "/api/netverify/v2/authentications/{transactionReference}",
    operation_id = "deleteAuthentication",
    tag = "netverify",
    params(("transactionReference" = uuid::Uuid, Path, description = "A workflow execution of workflow 9 or 16")),
    responses(
        (status = 200, description = "Images, data and facemap are deleted"),
        (status = 404, description = "No such authentication transaction", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn delete_authentication(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<StatusCode, ApiError> {
    delete(&state, &caller, TransactionKind::Authentication, &reference).await
}

#[utoipa::path(
    delete,
    path = "/api/netverify/v2/documents/{scanReference}",
    operation_id = "deleteDocument",
    tag = "netverify",
    params(("scanReference" = uuid::Uuid, Path, description = "A Document Verification transaction, or a workflow execution that acquired a DOCUMENT")),
    responses(
        (status = 200, description = "Images and extracted data are deleted"),
        (status = 404, description = "No such document transaction", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn delete_document(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<StatusCode, ApiError> {
    delete(&state, &caller, TransactionKind::Document, &reference).await
}
