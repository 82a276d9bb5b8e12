//! Watchlist screening searches (a verifyd extension): a one-off search without a document,
//! and the report a workflow's `watchlistScreening.data.searchResultUrl` points to.

use axum::extract::{Path, State};
use axum::Json;
use verifyd_domain::rules::FieldError;
use verifyd_domain::service::ScreeningQuery;
use verifyd_screening::Gender;
use verifyd_types::{
    ErrorResponse, ScreeningGender, ScreeningSearchReport, ScreeningSearchRequest,
};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::extract::{id, ApiJson};
use crate::state::AppState;

#[utoipa::path(
    post,
    path = "/api/v1/screening/searches",
    operation_id = "searchWatchlists",
    tag = "screening",
    request_body = ScreeningSearchRequest,
    responses(
        (status = 200, description = "The search, stored, with every match over the threshold", body = ScreeningSearchReport),
        (status = 400, description = "No name to search, or a field breaks a rule (INVALID_FIELD names it)", body = ErrorResponse),
        (status = 409, description = "No watchlist is loaded", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn search(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    ApiJson(request): ApiJson<ScreeningSearchRequest>,
) -> Result<Json<ScreeningSearchReport>, ApiError> {
    let query = query(request)?;
    let done = state.verifyd.search_watchlists(&caller, &query).await?;
    Ok(Json(report(done.report)?))
}

#[utoipa::path(
    get,
    path = "/api/v1/screening/searches/{searchId}",
    operation_id = "getScreeningSearch",
    tag = "screening",
    params(("searchId" = uuid::Uuid, Path, description = "The search's id (`searchId`)")),
    responses(
        (status = 200, description = "The search: query, list versions searched, matches and their reasons", body = ScreeningSearchReport),
        (status = 404, description = "No such search for this tenant", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn details(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(search): Path<String>,
) -> Result<Json<ScreeningSearchReport>, ApiError> {
    let search = id("searchId", &search)?;
    let stored = state.verifyd.screening_search(&caller, search).await?;
    Ok(Json(report(stored)?))
}

fn report(value: serde_json::Value) -> Result<ScreeningSearchReport, ApiError> {
    serde_json::from_value(value).map_err(|error| {
        ApiError::from(verifyd_domain::error::DomainError::Internal(format!(
            "stored search report: {error}"
        )))
    })
}

fn query(request: ScreeningSearchRequest) -> Result<ScreeningQuery, ApiError> {
    let invalid = |field: &str, message: &str| {
        ApiError::from(verifyd_domain::error::DomainError::from(FieldError::new(
            field, message,
        )))
    };
    let date_of_birth = match request.date_of_birth.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            crate::screening::birth_date(text)
                .map_err(|_| invalid("dateOfBirth", "must be YYYY-MM-DD or YYYY"))?,
        ),
    };
    let gender = request.gender.map(|gender| match gender {
        ScreeningGender::M => Gender::Male,
        ScreeningGender::F => Gender::Female,
    });
    Ok(ScreeningQuery {
        name: request.name,
        date_of_birth,
        nationality: request.nationality.filter(|n| !n.trim().is_empty()),
        gender,
    })
}
