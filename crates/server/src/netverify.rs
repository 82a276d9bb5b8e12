//! How a netverify transaction is shown: the pieces of the retrieval API's `/data`, and the
//! form-encoded callback (reference/callback.md), both from the domain's `ScanReport`.

use chrono::{DateTime, Utc};
use serde_json::Value;
use verifyd_domain::model::{ExecutionApi, WorkflowExecution};
use verifyd_domain::netverify::ScanReport;
use verifyd_domain::timestamp;
use verifyd_types::netverify::{
    AdditionalChecks, ScanTransaction, ScanVerification, WatchlistScreeningResult,
};
use verifyd_types::values::MrzCheck;

use crate::links::Links;

/// Where the transaction's images came from: verifyd's web client is the only capture path of a
/// v4 transaction; performNetverify's arrive through the API.
fn source(execution: &WorkflowExecution) -> &'static str {
    match execution.api {
        ExecutionApi::PerformNetverify => "API",
        ExecutionApi::Kyx | ExecutionApi::NetverifyV4 | ExecutionApi::DocumentVerification => "WEB",
    }
}

pub fn transaction(report: &ScanReport) -> ScanTransaction {
    let execution = &report.execution;
    ScanTransaction {
        status: report.status,
        source: source(execution).to_owned(),
        date: timestamp::format(execution.created_at),
        customer_id: execution.user_reference.clone(),
        merchant_scan_reference: Some(execution.customer_internal_reference.clone()),
        merchant_reporting_criteria: execution.reporting_criteria.clone(),
    }
}

pub fn verification(report: &ScanReport, links: &Links) -> ScanVerification {
    ScanVerification {
        mrz_check: Some(report.mrz_check),
        reject_reason: report.verdict.reject_reason.clone(),
        identity_verification: report.identity.clone(),
        additional_checks: screening(report, links).map(|watchlist_screening| AdditionalChecks {
            watchlist_screening,
        }),
    }
}

/// The transaction's watchlist screening as the guide shows it, its report's link absolute.
fn screening(report: &ScanReport, links: &Links) -> Option<WatchlistScreeningResult> {
    let data = report.screening.as_ref()?;
    let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(WatchlistScreeningResult {
        search_status: text("searchStatus").unwrap_or_else(|| "NOT_DONE".to_owned()),
        search_date: text("searchDate"),
        search_id: text("searchId"),
        search_reference: text("searchReference"),
        search_result_url: text("searchResultUrl").map(|path| {
            if path.starts_with('/') {
                links.absolute(&path)
            } else {
                path
            }
        }),
        search_results: data
            .get("searchResults")
            .and_then(Value::as_u64)
            .map(|count| count.to_string()),
    })
}

/// The callback's `additionalChecks`: a JSON string, `searchResults` a number as in the
/// guide's callback sample.
fn additional_checks_parameter(report: &ScanReport, links: &Links) -> Option<String> {
    let mut screening = serde_json::to_value(screening(report, links)?).ok()?;
    if let Some(count) = screening
        .get("searchResults")
        .and_then(Value::as_str)
        .and_then(|count| count.parse::<u64>().ok())
    {
        screening["searchResults"] = count.into();
    }
    Some(serde_json::json!({ "watchlistScreening": screening }).to_string())
}

/// The callback's links to the images on file.
fn image_parameters(report: &ScanReport, links: &Links) -> Vec<(&'static str, String)> {
    [
        ("front", "idScanImage"),
        ("face", "idScanImageFace"),
        ("back", "idScanImageBackside"),
    ]
    .into_iter()
    .filter(|(name, _)| report.images.iter().any(|(image, _, _)| image == name))
    .map(|(name, parameter)| (parameter, links.scan_image(report.execution.id, name)))
    .collect()
}

/// performNetverify's `onAllSteps` callback, sent when the images are received. Nothing is
/// decided yet, so it carries no `verificationStatus` or `idScanStatus` (the callback reference
/// gives them no pending value): the transaction, where its images came from, the links to
/// them and the client's references. The result follows in the usual callback.
pub fn received_callback_form(
    report: &ScanReport,
    links: &Links,
    sent_at: DateTime<Utc>,
) -> Vec<(&'static str, String)> {
    let execution = &report.execution;
    let mut form: Vec<(&'static str, String)> = vec![
        ("callBackType", "NETVERIFYID".to_owned()),
        ("jumioIdScanReference", execution.id.to_string()),
        ("idScanSource", source(execution).to_owned()),
        ("transactionDate", timestamp::format(execution.created_at)),
        ("callbackDate", timestamp::format(sent_at)),
    ];
    form.extend(image_parameters(report, links));
    form.push((
        "merchantIdScanReference",
        execution.customer_internal_reference.clone(),
    ));
    if let Some(customer) = &execution.user_reference {
        form.push(("customerId", customer.clone()));
    }
    form
}

/// The callback's parameters, in the order of the callback reference.
pub fn callback_form(
    report: &ScanReport,
    links: &Links,
    sent_at: DateTime<Utc>,
) -> Vec<(&'static str, String)> {
    let execution = &report.execution;
    let approved = report.verdict.approved();
    let check = if approved { "OK" } else { "N/A" };
    let mut form: Vec<(&'static str, String)> = vec![
        ("callBackType", "NETVERIFYID".to_owned()),
        ("jumioIdScanReference", execution.id.to_string()),
        ("verificationStatus", report.verdict.status.to_owned()),
        (
            "idScanStatus",
            if approved { "SUCCESS" } else { "ERROR" }.to_owned(),
        ),
        ("idScanSource", source(execution).to_owned()),
        ("idCheckDataPositions", check.to_owned()),
        ("idCheckDocumentValidation", check.to_owned()),
        ("idCheckHologram", check.to_owned()),
        (
            "idCheckMRZcode",
            if approved && report.mrz_check == MrzCheck::Ok {
                "OK"
            } else {
                "N/A"
            }
            .to_owned(),
        ),
        ("idCheckMicroprint", check.to_owned()),
        ("idCheckSecurityFeatures", check.to_owned()),
        ("idCheckSignature", check.to_owned()),
        ("transactionDate", timestamp::format(execution.created_at)),
        ("callbackDate", timestamp::format(sent_at)),
    ];
    let mut optional = |name: &'static str, value: Option<String>| {
        if let Some(value) = value {
            form.push((name, value));
        }
    };
    if approved {
        optional(
            "identityVerification",
            report
                .identity
                .as_ref()
                .and_then(|identity| serde_json::to_string(identity).ok()),
        );
    }
    let document = &report.document;
    optional("idType", document.r#type.clone());
    optional("idSubtype", document.id_subtype.clone());
    optional("idCountry", document.issuing_country.clone());
    optional(
        "rejectReason",
        report
            .verdict
            .reject_reason
            .as_ref()
            .and_then(|reason| serde_json::to_string(reason).ok()),
    );
    form.extend(image_parameters(report, links));
    let mut optional = |name: &'static str, value: Option<String>| {
        if let Some(value) = value {
            form.push((name, value));
        }
    };
    optional("idNumber", document.number.clone());
    optional("idFirstName", document.first_name.clone());
    optional("idLastName", document.last_name.clone());
    optional("idDob", document.dob.clone());
    optional("idExpiry", document.expiry.clone());
    optional("idUsState", document.us_state.clone());
    optional("personalNumber", document.personal_number.clone());
    optional(
        "merchantIdScanReference",
        Some(execution.customer_internal_reference.clone()),
    );
    optional(
        "merchantReportingCriteria",
        execution.reporting_criteria.clone(),
    );
    optional("customerId", execution.user_reference.clone());
    optional(
        "firstAttemptDate",
        report.first_attempt.map(timestamp::format),
    );
    optional("optionalData1", document.optional_data1.clone());
    optional("optionalData2", document.optional_data2.clone());
    optional("gender", document.gender.clone());
    optional("nationality", document.nationality.clone());
    optional("presetCountry", report.preset_country.clone());
    optional("presetIdType", report.preset_id_type.clone());
    optional(
        "additionalChecks",
        additional_checks_parameter(report, links),
    );
    form
}
