//! Supported and accepted ID types.

use axum::extract::State;
use axum::Json;
use verifyd_domain::service::id_types::CountryDocuments;
use verifyd_domain::timestamp;
use verifyd_types::{
    AcceptedIdTypesResponse, AcquisitionConfig, CountryIdTypes, ErrorResponse, IdTypeEntry,
    SupportedIdTypesResponse,
};

use crate::auth::TenantAuth;
use crate::error::ApiError;
use crate::state::AppState;

fn wire(countries: Vec<CountryDocuments>) -> Vec<CountryIdTypes> {
    countries
        .into_iter()
        .map(|country| CountryIdTypes {
            country_code: country.code.to_owned(),
            country_name: country.name.to_owned(),
            id_types: country
                .id_types
                .iter()
                .map(|entry| IdTypeEntry {
                    id_type: entry.id_type,
                    acquisition_config: AcquisitionConfig {
                        back_side: entry.back_side,
                    },
                })
                .collect(),
        })
        .collect()
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/supportedIdTypes",
    operation_id = "getSupportedIdTypes",
    tag = "id types",
    responses(
        (status = 200, description = "Every country and the document types verifyd supports for it", body = SupportedIdTypesResponse),
        (status = 401, description = "Not authenticated", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn supported(
    State(state): State<AppState>,
    TenantAuth(_caller): TenantAuth,
) -> Json<SupportedIdTypesResponse> {
    Json(SupportedIdTypesResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        supported_id_types: wire(state.verifyd.supported_id_types()),
    })
}

#[utoipa::path(
    get,
    path = "/api/netverify/v2/acceptedIdTypes",
    operation_id = "getAcceptedIdTypes",
    tag = "id types",
    responses(
        (status = 200, description = "The documents this tenant accepts (all supported ones unless narrowed)", body = AcceptedIdTypesResponse),
        (status = 401, description = "Not authenticated", body = ErrorResponse),
    ),
    security(("basic" = []), ("bearer" = []))
)]
pub async fn accepted(
    State(state): State<AppState>,
    TenantAuth(caller): TenantAuth,
) -> Result<Json<AcceptedIdTypesResponse>, ApiError> {
    let accepted = state.verifyd.accepted_id_types(&caller).await?;
    Ok(Json(AcceptedIdTypesResponse {
        timestamp: timestamp::format(state.verifyd.clock().now()),
        accepted_id_types: wire(accepted),
    }))
}
