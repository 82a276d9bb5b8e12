//! The KYX platform API (v1): accounts, workflow executions, credentials and their parts,
//! liveness challenges, callbacks, retrieval, screening searches, and the OAuth2 token that
//! opens it.

pub mod accounts;
pub mod callbacks;
pub mod liveness_challenges;
pub mod oauth;
pub mod parts;
pub mod retrieval;
pub mod screening;
pub mod workflow_executions;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The routes whose bodies, if any, are JSON or a form; the parts upload is [`uploads`].
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(accounts::create))
        .routes(routes!(
            accounts::update,
            accounts::details,
            accounts::delete
        ))
        .routes(routes!(parts::delete_all))
        .routes(routes!(liveness_challenges::issue))
        .routes(routes!(
            workflow_executions::finalize,
            workflow_executions::details,
            workflow_executions::delete
        ))
        .routes(routes!(workflow_executions::status))
        .routes(routes!(callbacks::list))
        .routes(routes!(retrieval::part))
        .routes(routes!(screening::search))
        .routes(routes!(screening::details))
        .routes(routes!(screening::review))
        .routes(routes!(screening::of_account))
        .routes(routes!(oauth::token))
}

/// The parts route on its own: its body is a file, so `app.rs` gives it the upload limit
/// where every other route gets the JSON one.
pub fn uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(parts::add, parts::replace, parts::delete))
}
