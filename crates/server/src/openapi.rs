//! The OpenAPI document, generated from the handlers' annotations, completed by the statuses
//! the layers answer, the catalogue's closed sets and the links between operations. The
//! committed copy (`openapi.json` at the repository root) is checked against it by a test, and
//! the server's behaviour against it by schemathesis (`tests/api/openapi_contract.rs`).

mod links;
mod statuses;
mod vocabulary;

use axum::Json;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::handlers;
use links::Journey;
use statuses::CrossCutting;
use vocabulary::Catalogue;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "verifyd",
        description = "Self-hosted identity verification speaking the KYX platform API.",
        license(name = "Apache-2.0")
    ),
    paths(
        handlers::oauth::token,
        handlers::accounts::create,
        handlers::accounts::update,
        handlers::accounts::details,
        handlers::accounts::delete,
        handlers::parts::add,
        handlers::liveness_challenges::issue,
        handlers::parts::replace,
        handlers::parts::delete,
        handlers::parts::delete_all,
        handlers::workflow_executions::finalize,
        handlers::workflow_executions::status,
        handlers::workflow_executions::details,
        handlers::workflow_executions::delete,
        handlers::callbacks::list,
        handlers::retrieval::part,
        handlers::id_types::supported,
        handlers::id_types::accepted,
        handlers::health::health,
        handlers::initiate::initiate,
        handlers::scans::status,
        handlers::scans::data,
        handlers::scans::data_part,
        handlers::scans::images,
        handlers::scans::image,
        handlers::transactions::delete_scan,
        handlers::transactions::delete_authentication,
        handlers::transactions::delete_document,
        handlers::web_session::session,
        handlers::web_session::choose_document,
    ),
    components(schemas(
        verifyd_types::PartClassifier,
        verifyd_types::netverify::ScanDataPart,
        verifyd_types::netverify::ScanImageClassifier,
    )),
    modifiers(&Security, &Catalogue, &CrossCutting, &Journey)
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The operations of a path, for the modifiers.
fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The document as committed: pretty JSON with a final newline.
pub fn document() -> String {
    let mut text = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
