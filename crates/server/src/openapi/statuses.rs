//! The answers every operation can get from the layers and extractors of `app.rs` rather than
//! from its handler: added to each operation whose annotation does not name them already, so
//! that the handlers' annotations list only what their own logic answers.
//!
//! - every route under `/api/` and `/oauth2/` sits behind the User-Agent rule (403) and an
//!   authentication extractor (401; 403 for a missing scope or a workflow token where API
//!   credentials are needed);
//! - a path parameter that is not a UUID, or not one of the names it allows, is a 400;
//! - a JSON or form body that is malformed or of the wrong type is a 400, one over the size limit
//!   a 413, one of another content type a 415, one that does not arrive in time a 408;
//! - anything may fail inside (500, with an opaque body; the cause is logged);
//! - every response carries `X-Trackingid`.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::Type;
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder};
use utoipa::Modify;

pub struct CrossCutting;

impl Modify for CrossCutting {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let guarded = path.starts_with("/api/") || path.starts_with("/oauth2/");
            for operation in super::operations(item) {
                complete(operation, guarded);
            }
        }
    }
}

fn complete(operation: &mut Operation, guarded: bool) {
    let has_path_parameters = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let has_body = operation.request_body.is_some();
    let mut add = |status: &str, description: &str| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(error(description)));
    };
    if has_path_parameters || has_body {
        add(
            "400",
            "A path parameter is not a UUID or not an allowed name (INVALID_ID, UNKNOWN_CLASSIFIER), or the body is malformed",
        );
    }
    if guarded {
        add(
            "401",
            "Missing or invalid credentials (HTTP Basic or a Bearer token), or an expired token",
        );
        add(
            "403",
            "No User-Agent header (MISSING_USER_AGENT), a missing scope, or a token not valid here",
        );
    }
    if has_body {
        add("413", "The body exceeds the size limit");
        add(
            "408",
            "The body did not arrive within limits.body_read_timeout_ms (REQUEST_TIMEOUT); the connection is closed",
        );
        add(
            "415",
            "The body is not of a content type this operation takes",
        );
    }
    add(
        "500",
        "An internal error; its cause is logged, not returned",
    );
    for response in operation.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            response
                .headers
                .entry("X-Trackingid".to_owned())
                .or_insert_with(|| {
                    HeaderBuilder::new()
                        .schema(utoipa::openapi::schema::Object::with_type(Type::String))
                        .description(Some("The id of this request in the server's log"))
                        .build()
                });
        }
    }
}

fn error(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorResponse"))),
        )
        .build()
}
