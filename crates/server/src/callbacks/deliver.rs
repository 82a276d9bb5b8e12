use std::time::{Duration, Instant};

use verifyd_domain::model::{ExecutionApi, ExecutionStatus};
use verifyd_domain::repository::{CallbackAttempt, ClaimedCallback};
use verifyd_domain::{timestamp, Verifyd};

use super::guard;
use super::signing::{signature, MasterKey, SIGNATURE_HEADER};
use crate::links::Links;

const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The KYX callback body: no personal data, hrefs to retrieve the rest.
fn body(
    links: &Links,
    claimed: &ClaimedCallback,
    sent_at: chrono::DateTime<chrono::Utc>,
) -> Vec<u8> {
    let callback = &claimed.callback;
    let mut document = serde_json::json!({
        "callbackSentAt": timestamp::format(sent_at),
        "workflowExecution": {
            "id": callback.execution_id.to_string(),
            "href": links.workflow_execution(callback.account_id, callback.execution_id),
            "definitionKey": callback.definition_key.to_string(),
            "status": callback.status.as_str(),
        },
        "account": {
            "id": callback.account_id.to_string(),
            "href": links.account(callback.account_id),
        },
    });
    if let (Some(reference), Some(object)) = (&callback.user_reference, document.as_object_mut()) {
        object.insert("userReference".to_owned(), serde_json::json!(reference));
    }
    serde_json::to_vec(&document).unwrap_or_default()
}

/// verifyd's own callback for a new hit of ongoing monitoring: no personal data either, the
/// search that found it to retrieve.
fn monitoring_body(
    links: &Links,
    claimed: &ClaimedCallback,
    search: uuid::Uuid,
    sent_at: chrono::DateTime<chrono::Utc>,
) -> Vec<u8> {
    let callback = &claimed.callback;
    let mut document = serde_json::json!({
        "callbackType": "WATCHLIST_SCREENING_MONITORING",
        "callbackSentAt": timestamp::format(sent_at),
        "watchlistScreening": {
            "searchId": search.to_string(),
            "searchResultUrl": links.absolute(&format!("{}{search}", verifyd_domain::service::SEARCH_PATH)),
        },
        "workflowExecution": {
            "id": callback.execution_id.to_string(),
            "href": links.workflow_execution(callback.account_id, callback.execution_id),
            "definitionKey": callback.definition_key.to_string(),
        },
        "account": {
            "id": callback.account_id.to_string(),
            "href": links.account(callback.account_id),
        },
    });
    if let (Some(reference), Some(object)) = (&callback.user_reference, document.as_object_mut()) {
        object.insert("userReference".to_owned(), serde_json::json!(reference));
    }
    serde_json::to_vec(&document).unwrap_or_default()
}

/// The netverify callback: form-encoded, with the result in it, read when the attempt is made.
async fn netverify_body(
    verifyd: &Verifyd,
    links: &Links,
    claimed: &ClaimedCallback,
    sent_at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>, String> {
    let report = verifyd
        .scan_for_callback(claimed.callback.execution_id)
        .await
        .map_err(|error| format!("cannot read the transaction: {error}"))?
        .ok_or_else(|| "the transaction was deleted before its callback was sent".to_owned())?;
    let form = match claimed.callback.status {
        ExecutionStatus::Acquired => {
            crate::netverify::received_callback_form(&report, links, sent_at)
        }
        _ => crate::netverify::callback_form(&report, links, sent_at),
    };
    serde_urlencoded::to_string(&form)
        .map(String::into_bytes)
        .map_err(|error| error.to_string())
}

/// The Document Verification callback: form-encoded, `document` and `transaction` as JSON.
async fn document_body(
    verifyd: &Verifyd,
    links: &Links,
    claimed: &ClaimedCallback,
    sent_at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>, String> {
    let (verification, pages) = verifyd
        .document_for_callback(claimed.callback.execution_id)
        .await
        .map_err(|error| format!("cannot read the transaction: {error}"))?
        .ok_or_else(|| "the transaction was deleted before its callback was sent".to_owned())?;
    let form = crate::document_verification::callback_form(links, &verification, &pages, sent_at);
    serde_urlencoded::to_string(&form)
        .map(String::into_bytes)
        .map_err(|error| error.to_string())
}

pub(crate) async fn attempt(
    verifyd: &Verifyd,
    links: &Links,
    key: &MasterKey,
    allow_local: bool,
    claimed: &ClaimedCallback,
) -> CallbackAttempt {
    let now = verifyd.clock().now();
    let started = Instant::now();
    let result = send(verifyd, links, key, allow_local, claimed, now).await;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match result {
        Ok(code) => CallbackAttempt {
            attempted_at: now,
            status_code: Some(code),
            error: (!(200..300).contains(&code)).then(|| format!("the receiver answered {code}")),
            duration_ms,
        },
        Err(error) => CallbackAttempt {
            attempted_at: now,
            status_code: None,
            error: Some(error),
            duration_ms,
        },
    }
}

async fn send(
    verifyd: &Verifyd,
    links: &Links,
    key: &MasterKey,
    allow_local: bool,
    claimed: &ClaimedCallback,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u16, String> {
    let target = guard::check(&claimed.callback.url, allow_local).await?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // A proxy would resolve the host itself and bypass the address check.
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .resolve(&target.host, target.address)
        .user_agent("verifyd-callback/1")
        .build()
        .map_err(|error| error.to_string())?;
    let (content_type, body) = match (claimed.callback.search_id, claimed.callback.api) {
        (Some(search), _) => (
            "application/json",
            monitoring_body(links, claimed, search, now),
        ),
        (None, ExecutionApi::Kyx) => ("application/json", body(links, claimed, now)),
        (None, ExecutionApi::NetverifyV4 | ExecutionApi::PerformNetverify) => (
            "application/x-www-form-urlencoded",
            netverify_body(verifyd, links, claimed, now).await?,
        ),
        (None, ExecutionApi::DocumentVerification) => (
            "application/x-www-form-urlencoded",
            document_body(verifyd, links, claimed, now).await?,
        ),
    };
    let secret = key.tenant_secret(claimed.callback.tenant_id);
    let response = client
        .post(target.url)
        .header("Content-Type", content_type)
        .header(SIGNATURE_HEADER, signature(&secret, now.timestamp(), &body))
        .body(body)
        .send()
        .await
        .map_err(|error| format!("delivery failed: {error}"))?;
    Ok(response.status().as_u16())
}
