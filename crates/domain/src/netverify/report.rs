//! Everything the netverify retrieval API and callback say about one transaction.

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;
use verifyd_types::netverify::{IdentityVerification, ScanDocument};
use verifyd_types::values::{MrzCheck, ScanStatus};

use super::outcome::entry;
use super::{identity, Verdict};
use crate::model::{Category, Classifier, ExecutionStatus, WorkflowExecution};
use crate::service::{ExecutionDetails, Plan, Step};

/// The netverify transaction status of an execution in `status`.
pub fn scan_status(status: ExecutionStatus) -> ScanStatus {
    match status {
        ExecutionStatus::Initiated | ExecutionStatus::Acquired => ScanStatus::Pending,
        ExecutionStatus::Processed => ScanStatus::Done,
        ExecutionStatus::TokenExpired | ExecutionStatus::SessionExpired => ScanStatus::Failed,
    }
}

#[derive(Debug, Clone)]
pub struct ScanReport {
    pub execution: WorkflowExecution,
    pub status: ScanStatus,
    pub verdict: Verdict,
    pub document: ScanDocument,
    pub mrz_check: MrzCheck,
    /// For ID + Identity transactions.
    pub identity: Option<IdentityVerification>,
    /// The ID's preset country and type, when the transaction fixed them.
    pub preset_country: Option<String>,
    pub preset_id_type: Option<String>,
    /// The images on file, by the netverify classifier (front, back, face), with the credential
    /// that holds each.
    pub images: Vec<(&'static str, Uuid, Classifier)>,
    /// The liveness challenge's frames on file (`LIVENESS_n`), by number, with the credential
    /// that holds them.
    pub liveness: Vec<(u16, Uuid)>,
    pub first_attempt: Option<DateTime<Utc>>,
    /// The watchlist screening's `data` (searchStatus, searchId ...), when the transaction
    /// asked for screening: `{"searchStatus": "NOT_DONE"}` until it ran. `searchResultUrl` is
    /// a path; the server makes it absolute.
    pub screening: Option<Value>,
}

impl ScanReport {
    pub fn new(details: &ExecutionDetails) -> Self {
        let execution = details.execution.clone();
        let status = scan_status(execution.status);
        let outcome = execution.outcome.clone().unwrap_or(Value::Null);
        let verdict = match execution.status {
            ExecutionStatus::Processed => Verdict::of(&outcome),
            _ => Verdict::no_id(),
        };
        let mut document = document(&outcome);
        document.status = verdict.status.to_owned();
        let mrz_check = match entry(&outcome, "dataChecks", "ID") {
            Some(found) if found.decision == "PASSED" && document.number.is_some() => MrzCheck::Ok,
            _ => MrzCheck::NotAvailable,
        };
        let id = details
            .credentials
            .iter()
            .find(|(linked, _)| linked.credential.category == Category::Id);
        let preset = |chosen: Option<&crate::model::Preset>| {
            chosen
                .filter(|preset| preset.values.len() == 1)
                .and_then(|preset| preset.values.first().cloned())
        };
        let images = details
            .credentials
            .iter()
            .flat_map(|(linked, parts)| {
                parts.iter().filter_map(move |part| {
                    let name = match part.classifier {
                        Classifier::Front => "front",
                        Classifier::Back => "back",
                        Classifier::Face => "face",
                        _ => return None,
                    };
                    Some((name, linked.credential.id, part.classifier))
                })
            })
            .collect();
        let mut liveness: Vec<(u16, Uuid)> = details
            .credentials
            .iter()
            .flat_map(|(linked, parts)| {
                parts.iter().filter_map(move |part| match part.classifier {
                    Classifier::Liveness(number) => Some((number, linked.credential.id)),
                    _ => None,
                })
            })
            .collect();
        liveness.sort_unstable();
        let screening = Plan::of(
            execution.definition_key,
            execution.screening_properties.is_some(),
        )
        .runs(Step::Screening)
        .then(|| {
            entry(&outcome, "watchlistScreening", "ID")
                .map(|found| found.data.clone())
                .filter(Value::is_object)
                .unwrap_or_else(|| serde_json::json!({ "searchStatus": "NOT_DONE" }))
        });
        Self {
            screening,
            identity: identity::of(&outcome),
            preset_country: id.and_then(|(linked, _)| preset(linked.credential.country.as_ref())),
            preset_id_type: id.and_then(|(linked, _)| preset(linked.credential.id_type.as_ref())),
            first_attempt: execution.started_at,
            execution,
            status,
            verdict,
            document,
            mrz_check,
            images,
            liveness,
        }
    }
}

/// The extraction's data in the netverify field names; nothing unless the ID was read.
fn document(outcome: &Value) -> ScanDocument {
    let Some(found) = entry(outcome, "extraction", "ID").filter(|found| found.decision == "PASSED")
    else {
        return ScanDocument::default();
    };
    let field = |name: &str| {
        found
            .data
            .get(name)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    ScanDocument {
        status: String::new(),
        r#type: field("type"),
        id_subtype: field("subType"),
        issuing_country: field("issuingCountry"),
        first_name: field("firstName"),
        last_name: field("lastName"),
        dob: field("dateOfBirth"),
        expiry: field("expiryDate"),
        issuing_date: field("issuingDate"),
        number: field("documentNumber"),
        us_state: field("state"),
        personal_number: field("personalNumber"),
        optional_data1: field("optionalMrzField1"),
        optional_data2: field("optionalMrzField2"),
        gender: field("gender"),
        nationality: field("nationality"),
    }
}
