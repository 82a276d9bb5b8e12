//! Watchlist screening searches (a verifyd extension): a one-off search without a document,
//! and the report a workflow's `watchlistScreening.data.searchResultUrl` points to.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use verifyd_domain::rules::FieldError;
use verifyd_domain::service::ScreeningQuery;
use verifyd_screening::Gender;
use verifyd_types::{
    AccountScreeningSearches, ErrorResponse, ScreeningGender, ScreeningReview,
    ScreeningReviewRequest, ScreeningSearchReport, ScreeningSearchRequest,
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
        (status = 409, description = "No watchlist is loaded, or the tenant has no such search profile", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn search(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    ApiJson(request): ApiJson<ScreeningSearchRequest>,
) -> Result<Json<ScreeningSearchReport>, ApiError> {
    let profile = request.search_profile.clone();
    let query = query(request)?;
    let done = state
        .verifyd
        .search_watchlists(&caller, &query, profile.as_deref())
        .await?;
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

#[utoipa::path(
    post,
    path = "/api/v1/screening/searches/{searchId}/reviews",
    operation_id = "reviewScreeningMatch",
    tag = "screening",
    params(("searchId" = uuid::Uuid, Path, description = "The search whose match was reviewed")),
    request_body = ScreeningReviewRequest,
    responses(
        (status = 201, description = "The match is a reviewed false positive for the search's account", body = ScreeningReview),
        (status = 400, description = "The search has no such match (INVALID_FIELD names entryId)", body = ErrorResponse),
        (status = 404, description = "No such search for this tenant", body = ErrorResponse),
        (status = 409, description = "A one-off search has no account to remember the review for", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn review(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(search): Path<String>,
    ApiJson(request): ApiJson<ScreeningReviewRequest>,
) -> Result<(StatusCode, Json<ScreeningReview>), ApiError> {
    let search = id("searchId", &search)?;
    let review = state
        .verifyd
        .review_screening_match(&caller, search, &request.list, &request.entry_id)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ScreeningReview {
            search_id: review.search_id.to_string(),
            account_id: review.account_id.to_string(),
            list: review.list,
            entry_id: review.entry_id,
            entry_version: review.entry_version,
            reviewed_at: verifyd_domain::timestamp::format(review.reviewed_at),
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/accounts/{accountId}/screening/searches",
    operation_id = "getAccountScreeningSearches",
    tag = "screening",
    params(("accountId" = uuid::Uuid, Path, description = "The account")),
    responses(
        (status = 200, description = "The account's searches, oldest first: its workflows' and those ongoing monitoring made", body = AccountScreeningSearches),
        (status = 404, description = "No such account for this tenant", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn of_account(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
    Path(account): Path<String>,
) -> Result<Json<AccountScreeningSearches>, ApiError> {
    let account = id("accountId", &account)?;
    let searches = state
        .verifyd
        .account_screening_searches(&caller, account)
        .await?
        .into_iter()
        .map(report)
        .collect::<Result<_, _>>()?;
    Ok(Json(AccountScreeningSearches { searches }))
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
