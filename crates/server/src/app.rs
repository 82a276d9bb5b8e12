//! The router: every route of the API, with its middleware.

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

use crate::body_deadline;
use crate::handlers::{
    accounts, callbacks, health, id_types, initiate, liveness_challenges, oauth, parts, retrieval,
    scans, transactions, web_session, workflow_executions,
};
use crate::middleware::{error_bodies, require_user_agent, tracking};
use crate::openapi;
use crate::state::AppState;
use crate::web_client;

pub fn router(state: AppState) -> Router {
    const PART: &str =
        "/api/v1/accounts/{account}/workflow-executions/{execution}/credentials/{credential}/parts/{classifier}";
    let upload_limit = DefaultBodyLimit::max(state.limits.max_upload_bytes + 1024 * 1024);
    let json_limit = DefaultBodyLimit::max(state.limits.max_json_bytes);

    let uploads = Router::new()
        .route(
            PART,
            post(parts::add).put(parts::replace).delete(parts::delete),
        )
        .layer(upload_limit);
    let api = Router::new()
        .route("/api/v1/accounts", post(accounts::create))
        .route(
            "/api/v1/accounts/{account}",
            put(accounts::update)
                .get(accounts::details)
                .delete(accounts::delete),
        )
        .route(
            "/api/v1/accounts/{account}/workflow-executions/{execution}/credentials/{credential}",
            delete(parts::delete_all),
        )
        .route(
            "/api/v1/accounts/{account}/workflow-executions/{execution}/credentials/{credential}/liveness-challenge",
            post(liveness_challenges::issue),
        )
        .route(
            "/api/v1/accounts/{account}/workflow-executions/{execution}",
            put(workflow_executions::finalize)
                .get(workflow_executions::details)
                .delete(workflow_executions::delete),
        )
        .route(
            "/api/v1/accounts/{account}/workflow-executions/{execution}/status",
            get(workflow_executions::status),
        )
        .route(
            "/api/v1/accounts/{account}/workflow-executions/{execution}/callbacks",
            get(callbacks::list),
        )
        .route(
            "/api/v1/accounts/{account}/credentials/{credential}/parts/{classifier}",
            get(retrieval::part),
        )
        .route(
            "/api/netverify/v2/supportedIdTypes",
            get(id_types::supported),
        )
        .route("/api/netverify/v2/acceptedIdTypes", get(id_types::accepted))
        .route("/api/v4/initiate", post(initiate::initiate))
        .route(
            "/api/netverify/v2/scans/{reference}",
            get(scans::status).delete(transactions::delete_scan),
        )
        .route("/api/netverify/v2/scans/{reference}/data", get(scans::data))
        .route(
            "/api/netverify/v2/scans/{reference}/data/{part}",
            get(scans::data_part),
        )
        .route(
            "/api/netverify/v2/scans/{reference}/images",
            get(scans::images),
        )
        .route(
            "/api/netverify/v2/scans/{reference}/images/{classifier}",
            get(scans::image),
        )
        .route(
            "/api/netverify/v2/authentications/{reference}",
            delete(transactions::delete_authentication),
        )
        .route(
            "/api/netverify/v2/documents/{reference}",
            delete(transactions::delete_document),
        )
        .route("/api/v1/web/session", get(web_session::session))
        .route(
            "/api/v1/web/session/document",
            post(web_session::choose_document),
        )
        .route("/oauth2/token", post(oauth::token))
        .layer(json_limit)
        .merge(uploads)
        .layer(axum::middleware::from_fn(require_user_agent));

    Router::new()
        .merge(api)
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi::serve))
        .route("/web/v4/app", get(web_client::app))
        .route("/web/v4/assets/{*path}", get(web_client::file))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            Duration::from_millis(state.limits.body_read_timeout_ms),
            body_deadline::enforce,
        ))
        .layer(axum::middleware::from_fn(error_bodies))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            tracking,
        ))
        .with_state(state)
}
