//! Watchlist screening of the person each ID's extraction found: the names, date of birth,
//! nationality and gender it extracted, searched against the lists in force. A hit is WARNING /
//! ALERT and a clean search PASSED / OK; screening never rejects. What could not be searched
//! says why in its label (the spec's NOT_EXECUTED labels) and `searchStatus`.

use serde_json::{json, Value};
use uuid::Uuid;
use verifyd_screening::{BirthDate, Gender};

use super::results::refs;
use crate::model::{
    Capability, CapabilityResult, DecisionType, ExecutionCredential, Label, WorkflowExecution,
};
use crate::rules::screening_options;
use crate::service::{Screened, ScreeningFailure, ScreeningQuery, Verifyd};

/// Where a search's report is retrieved; the server makes it absolute (`searchResultUrl`).
pub const SEARCH_PATH: &str = "/api/v1/screening/searches/";

pub(super) async fn screen(
    stores: Option<&Verifyd>,
    execution: &WorkflowExecution,
    ids: &[&ExecutionCredential],
    extracted: &[(Uuid, bool)],
    results: &[CapabilityResult],
) -> Vec<CapabilityResult> {
    if ids.is_empty() {
        return vec![not_done(Vec::new(), Label::NoValidIdCredential, "NOT_DONE")];
    }
    // The request's options, kept as sent: options that cannot be read are this step's.
    let options = match screening_options::parse(
        execution
            .screening_properties
            .as_deref()
            .unwrap_or_default(),
    ) {
        Ok(options) => options,
        Err(reason) => {
            // `data` holds the spec's fields alone: the reason goes to the log (the options
            // name profiles, never a person).
            tracing::warn!(execution = %execution.id, %reason, "screening options refused");
            return vec![not_done(refs(ids), Label::ValidationFailed, "NOT_DONE")];
        }
    };
    let mut screened = Vec::with_capacity(ids.len());
    for &id in ids {
        let credential = id.credential.id;
        let one = refs(&[id]);
        let of_this = |capability: Capability| {
            results.iter().find(|result| {
                result.capability == capability
                    && result.credentials.first().map(|c| c.0) == Some(credential)
            })
        };
        let extraction = of_this(Capability::Extraction);
        let passed = extracted
            .iter()
            .any(|&(extracted, passed)| extracted == credential && passed);
        if !passed {
            // No image of the ID: no valid ID credential. A usable ID whose data was not
            // extracted (a document verifyd cannot read yet): EXTRACTION_NOT_DONE. An ID that
            // was not usable: the precondition.
            let label = match of_this(Capability::Usability) {
                Some(usability) if usability.label == Label::NotUploaded => {
                    Label::NoValidIdCredential
                }
                Some(usability) if usability.decision == DecisionType::Passed => {
                    Label::ExtractionNotDone
                }
                _ => Label::PreconditionNotFulfilled,
            };
            screened.push(not_done(one, label, "NOT_DONE"));
            continue;
        }
        let Some(query) = extraction.and_then(|result| query_of(&result.data)) else {
            screened.push(not_done(one, Label::NotEnoughData, "NOT_DONE"));
            continue;
        };
        let Some(verifyd) = stores else {
            // `verifyd inspect` keeps nothing, and a search is kept for its result link.
            screened.push(not_done(one, Label::TechnicalError, "NOT_DONE"));
            continue;
        };
        let who = Screened {
            tenant_id: execution.tenant_id,
            account_id: Some(execution.account_id),
            execution_id: Some(execution.id),
        };
        let result = match verifyd
            .screen(who, &query, options.search_profile.as_deref())
            .await
        {
            Ok(done) => {
                let (decision, label) = if done.results > 0 {
                    (DecisionType::Warning, Label::Alert)
                } else {
                    (DecisionType::Passed, Label::Ok)
                };
                let mut result =
                    CapabilityResult::new(Capability::WatchlistScreening, one, decision, label);
                result.data = json!({
                    "searchDate": crate::timestamp::format(done.at),
                    "searchStatus": done.status.as_str(),
                    "searchId": done.id.to_string(),
                    "searchReference": done.reference,
                    "searchResultUrl": format!("{SEARCH_PATH}{}", done.id),
                    "searchResults": done.results,
                });
                result
            }
            Err(ScreeningFailure::NotEnoughData(_)) => {
                not_done(one, Label::NotEnoughData, "NOT_DONE")
            }
            Err(
                ScreeningFailure::NoLists
                | ScreeningFailure::UnknownList(_)
                | ScreeningFailure::UnknownProfile(_),
            ) => not_done(one, Label::InvalidMerchantSettings, "NOT_DONE"),
            Err(ScreeningFailure::Technical(message)) => {
                tracing::warn!(execution = %execution.id, error = %message, "screening failed");
                not_done(one, Label::TechnicalError, "ERROR")
            }
        };
        screened.push(result);
    }
    screened
}

fn not_done(
    credentials: Vec<(Uuid, crate::model::Category)>,
    label: Label,
    status: &str,
) -> CapabilityResult {
    let mut result = CapabilityResult::new(
        Capability::WatchlistScreening,
        credentials,
        DecisionType::NotExecuted,
        label,
    );
    result.data = json!({ "searchStatus": status });
    result
}

/// The person as the extraction's data names them; none without a name.
fn query_of(data: &Value) -> Option<ScreeningQuery> {
    let field = |key: &str| {
        data.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let name = [field("firstName"), field("lastName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        return None;
    }
    Some(ScreeningQuery {
        name,
        date_of_birth: field("dateOfBirth")
            .and_then(|date| date.parse().ok())
            .map(BirthDate::Date),
        nationality: field("nationality").map(str::to_owned),
        gender: match field("gender") {
            Some("M") => Some(Gender::Male),
            Some("F") => Some(Gender::Female),
            _ => None,
        },
    })
}
