//! `GET /api/netverify/v2/acquisitions?initiationToken=...`: the `clientRedirectUrl`, which
//! opens the Document Verification web client. The page is the same for every token (the
//! server does not read the query): its script moves the token out of the address bar and
//! asks the web session API what the token opens.

use axum::response::Response;

use crate::web_client;

#[utoipa::path(
    get,
    path = "/api/netverify/v2/acquisitions",
    operation_id = "documentVerificationWebClient",
    tag = "document verification",
    params(("initiationToken" = Option<String>, Query, description = "The link's token; absent when the page reloads (the tab holds the token then)")),
    responses(
        (status = 200, description = "The Document Verification web client (HTML), which checks the token itself: an invalid one shows error 211, an expired one 310, on the page or at the errorUrl", content_type = "text/html", body = String),
    )
)]
pub async fn page() -> Response {
    web_client::document_page()
}
