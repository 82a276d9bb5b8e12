//! The netverify retrieval API (`/api/netverify/v2/scans/{scanReference}`...) for transactions
//! started with `POST /api/v4/initiate`.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};
use uuid::Uuid;
use verifyd_domain::netverify::ScanReport;
use verifyd_domain::timestamp;
use verifyd_types::netverify::{
    ScanDataPart, ScanDataResponse, ScanImageClassifier, ScanImageRef, ScanImagesResponse,
    ScanStatusResponse,
};
use verifyd_types::{ErrorCode, ErrorResponse, StoredFile};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::id;
use crate::handlers::platform::retrieval::part_response;
use crate::netverify::{transaction, verification};
use crate::state::AppState;

async fn report(
    state: &AppState,
    caller: &verifyd_domain::model::Caller,
    reference: &str,
) -> Result<(Uuid, ScanReport), ApiError> {
    let reference = id("scanReference", reference)?;
    let report = state.verifyd.scan(caller, reference).await?;
    Ok((reference, report))
}

fn now(state: &AppState) -> String {
    timestamp::format(state.verifyd.clock().now())
}

/// Adds `timestamp` and `scanReference` to one part of `/data`, as the partial endpoints answer.
pub(crate) fn stamped(
    state: &AppState,
    reference: Uuid,
    part: impl serde::Serialize,
) -> Result<Json<Value>, ApiError> {
    let mut value = serde_json::to_value(part).map_err(ApiError::internal)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("timestamp".to_owned(), json!(now(state)));
        object.insert("scanReference".to_owned(), json!(reference.to_string()));
    }
    Ok(Json(value))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/scans/{scanReference}",
    operation_id = "getScanStatus",
    tag = "netverify",
    params(("scanReference" = uuid::Uuid, Path, description = "The transaction reference of the v4 initiate response")),
    responses(
        (status = 200, description = "PENDING, DONE or FAILED", body = ScanStatusResponse),
        (status = 404, description = "No such transaction, or deleted", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn status(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<Json<ScanStatusResponse>, ApiError> {
    let (reference, report) = report(&state, &caller, &reference).await?;
    Ok(Json(ScanStatusResponse {
        timestamp: now(&state),
        scan_reference: reference.to_string(),
        status: report.status,
    }))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/scans/{scanReference}/data",
    operation_id = "getScanData",
    tag = "netverify",
    params(("scanReference" = uuid::Uuid, Path, description = "The transaction reference")),
    responses(
        (status = 200, description = "Document, transaction and verification", body = ScanDataResponse),
        (status = 404, description = "No such transaction, or deleted", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn data(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<Json<ScanDataResponse>, ApiError> {
    let (reference, report) = report(&state, &caller, &reference).await?;
    Ok(Json(ScanDataResponse {
        timestamp: now(&state),
        scan_reference: reference.to_string(),
        document: report.document.clone(),
        transaction: transaction(&report),
        verification: verification(&report, &state.links),
    }))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/scans/{scanReference}/data/{part}",
    operation_id = "getScanDataPart",
    tag = "netverify",
    params(
        ("scanReference" = uuid::Uuid, Path, description = "The transaction reference"),
        ("part" = ScanDataPart, Path, description = "document, transaction or verification"),
    ),
    responses(
        (status = 200, description = "That part of /data (as in ScanDataResponse), with timestamp and scanReference", body = serde_json::Value),
        (status = 404, description = "No such transaction or part", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn data_part(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path((reference, part)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (reference, report) = report(&state, &caller, &reference).await?;
    match part.as_str() {
        "document" => stamped(&state, reference, &report.document),
        "transaction" => stamped(&state, reference, transaction(&report)),
        "verification" => stamped(&state, reference, verification(&report, &state.links)),
        _ => Err(ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "the data parts are document, transaction and verification",
        )),
    }
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/scans/{scanReference}/images",
    operation_id = "listScanImages",
    tag = "netverify",
    params(("scanReference" = uuid::Uuid, Path, description = "The transaction reference")),
    responses(
        (status = 200, description = "The images on file, by classifier (front, back, face)", body = ScanImagesResponse),
        (status = 404, description = "No such transaction", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn images(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(reference): Path<String>,
) -> Result<Json<ScanImagesResponse>, ApiError> {
    let (reference, report) = report(&state, &caller, &reference).await?;
    let images = report
        .images
        .iter()
        .map(|(name, _, _)| ScanImageRef {
            classifier: (*name).to_owned(),
            href: state.links.scan_image(reference, name),
        })
        .collect();
    let liveness_images = report
        .liveness
        .iter()
        .map(|(number, _)| state.links.scan_liveness_image(reference, *number))
        .collect();
    Ok(Json(ScanImagesResponse {
        timestamp: now(&state),
        scan_reference: reference.to_string(),
        images,
        liveness_images,
    }))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/scans/{scanReference}/images/{classifier}",
    operation_id = "getScanImage",
    tag = "netverify",
    params(
        ("scanReference" = uuid::Uuid, Path, description = "The transaction reference"),
        ("classifier" = ScanImageClassifier, Path, description = "front, back or face"),
    ),
    responses(
        (status = 200, description = "The image as it was uploaded, up to its end marker", content(
            (StoredFile = "image/jpeg"),
            (StoredFile = "image/png"),
        ), headers(
            ("X-Content-Type-Options" = String, description = "nosniff: the content is what Content-Type says"),
            ("Content-Disposition" = String, description = "attachment, with a file name made of the classifier"),
            ("Content-Security-Policy" = String, description = "default-src 'none'; sandbox"),
        )),
        (status = 404, description = "No such transaction or image", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn image(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path((reference, classifier)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let reference = id("scanReference", &reference)?;
    let (part, bytes) = state
        .verifyd
        .scan_image(&caller, reference, &classifier)
        .await?;
    Ok(part_response(&part, bytes))
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/scans/{scanReference}/images/liveness/{livenessNumber}",
    operation_id = "getScanLivenessImage",
    tag = "netverify",
    params(
        ("scanReference" = uuid::Uuid, Path, description = "The transaction reference"),
        ("livenessNumber" = u16, Path, description = "The frame's number in the liveness sequence"),
    ),
    responses(
        (status = 200, description = "The liveness frame as it was uploaded", content(
            (StoredFile = "image/jpeg"),
            (StoredFile = "image/png"),
        ), headers(
            ("X-Content-Type-Options" = String, description = "nosniff: the content is what Content-Type says"),
            ("Content-Disposition" = String, description = "attachment, with a file name made of the classifier"),
            ("Content-Security-Policy" = String, description = "default-src 'none'; sandbox"),
        )),
        (status = 404, description = "No such transaction or frame", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn liveness_image(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path((reference, number)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let reference = id("scanReference", &reference)?;
    // A number that is no frame's is a frame that is not there.
    let number = number.parse::<u16>().map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            ErrorCode::PartNotFound,
            "livenessNumber: no such frame",
        )
    })?;
    let (part, bytes) = state
        .verifyd
        .scan_liveness_image(&caller, reference, number)
        .await?;
    Ok(part_response(&part, bytes))
}
