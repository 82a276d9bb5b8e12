//! The OpenAPI document, generated from the handlers' annotations (collected by the API
//! families' routers, `handlers/`, along with the routes), completed by the statuses
//! the layers answer, the catalogue's closed sets and the links between operations. The
//! committed copy (`openapi.json` at the repository root) is checked against it by a test, and
//! the server's behaviour against it by schemathesis (`tests/api/openapi_contract.rs`).

mod links;
mod statuses;
mod vocabulary;

use std::future::ready;

use axum::routing::{get, MethodRouter};
use axum::Json;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::config::Limits;
use crate::state::AppState;
use links::Journey;
use statuses::CrossCutting;
use vocabulary::Catalogue;

// What the document says beyond its paths, which `complete` adds from the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "verifyd",
        description = "Self-hosted identity verification speaking the KYX platform API.",
        license(name = "Apache-2.0")
    ),
    components(schemas(
        verifyd_types::PartClassifier,
        verifyd_types::netverify::ScanDataPart,
        verifyd_types::netverify::ScanImageClassifier,
        verifyd_types::document_verification::DocumentDataPart,
    ))
)]
struct ApiDoc;

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
        components.add_security_scheme(
            "initiationToken",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The initiationToken of a Document Verification clientRedirectUrl (the web client's own calls)",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metricsToken",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token of the metrics.token setting (GET /metrics only)",
                    ))
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

/// The routers' description (paths, and the schemas their annotations name) made the whole
/// document. The modifiers run once every path is in, since most of them complete operations.
pub(crate) fn complete(description: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut openapi = ApiDoc::openapi();
    openapi.merge(description);
    let modifiers: [&dyn Modify; 4] = [&Security, &Catalogue, &CrossCutting, &Journey];
    for modifier in modifiers {
        modifier.modify(&mut openapi);
    }
    openapi
}

/// The document as committed: pretty JSON with a final newline. It is built from the same
/// routers as the server's; their limits only size body-limit layers, which the document does
/// not describe, so the default ones do.
pub fn document() -> String {
    let description = crate::routes::documented(&Limits::default()).into_openapi();
    let mut text = complete(description).to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

/// `GET /openapi.json`, answering the document the router was built with.
pub(crate) fn serve(document: utoipa::openapi::OpenApi) -> MethodRouter<AppState> {
    get(move || ready(Json(document.clone())))
}
