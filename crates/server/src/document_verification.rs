//! A Document Verification transaction in the wire's terms: the `document` and `transaction`
//! objects that retrieval answers and the callback posts, with their hrefs.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use verifyd_domain::model::{
    DocumentExtraction, DocumentPage, DocumentStatus, DocumentVerification, RawAddress,
};
use verifyd_domain::timestamp;
use verifyd_types::document_verification::{
    DocumentData, DocumentExtractedData, DocumentTransaction,
};
use verifyd_types::values::DocumentType;

use crate::links::Links;

/// Where the documents' retrieval API lives.
pub const DOCUMENTS_PATH: &str = "/api/netverify/v2/documents/";

pub fn page_href(links: &Links, id: Uuid, number: u32) -> String {
    links.absolute(&format!("{DOCUMENTS_PATH}{id}/pages/{number}"))
}

pub fn document(links: &Links, verification: &DocumentVerification) -> DocumentData {
    let request = &verification.request;
    let extraction = verification.extraction.as_ref();
    DocumentData {
        status: verification.document_status(),
        document_type: request.document_type,
        country: request.country.clone(),
        original_document: verification
            .original_blob
            .as_ref()
            .map(|_| links.absolute(&format!("{DOCUMENTS_PATH}{}/original", verification.id))),
        custom_document_code: request.custom_document_code.clone(),
        extracted_data: extraction
            .filter(|extraction| extracted(extraction))
            .map(|extraction| extracted_data(extraction, request.document_type)),
        not_extracted: extraction
            .map(|extraction| extraction.not_extracted.clone())
            .unwrap_or_default(),
    }
}

pub fn transaction(verification: &DocumentVerification, now: DateTime<Utc>) -> DocumentTransaction {
    let request = &verification.request;
    DocumentTransaction {
        status: verification.status(now),
        source: verification.source,
        merchant_scan_reference: request.merchant_scan_reference.clone(),
        customer_id: request.customer_id.clone(),
        merchant_reporting_criteria: request.merchant_reporting_criteria.clone(),
    }
}

/// The data points both guides name alike, with what was read of them.
fn read_points(extraction: &DocumentExtraction) -> [(&'static str, &Option<String>); 7] {
    [
        ("lastName", &extraction.last_name),
        ("ssn", &extraction.ssn),
        ("issueDate", &extraction.issue_date),
        ("dueDate", &extraction.due_date),
        ("accountNumber", &extraction.account_number),
        ("swiftCode", &extraction.swift_code),
        ("dateOfBirth", &extraction.date_of_birth),
    ]
}

fn address_points(address: &RawAddress) -> [(&'static str, &Option<String>); 5] {
    [
        ("line1", &address.line1),
        ("line2", &address.line2),
        ("postalCode", &address.postal_code),
        ("city", &address.city),
        ("subdivision", &address.subdivision),
    ]
}

/// A JSON object of the points that were read.
fn object<'a>(
    points: impl IntoIterator<Item = (&'a str, &'a Option<String>)>,
) -> serde_json::Map<String, serde_json::Value> {
    points
        .into_iter()
        .filter_map(|(key, value)| {
            Some((key.to_owned(), serde_json::Value::String(value.clone()?)))
        })
        .collect()
}

fn extracted(extraction: &DocumentExtraction) -> bool {
    extraction.status == Some(DocumentStatus::Extracted)
}

/// The retrieval guide's `extractedData`: `firstName` holds the full name (SSC: the first
/// name), and the nested `extractedData` every data point read, as a JSON text.
fn extracted_data(
    extraction: &DocumentExtraction,
    document_type: DocumentType,
) -> DocumentExtractedData {
    let first_name = extraction
        .first_name
        .clone()
        .or_else(|| extraction.name.clone());
    let masked_pan = extraction
        .card_number_last_four_digits
        .as_ref()
        .map(|last| format!("XXXXXXXXXXXX{last}"));
    let mut nested = object([("firstName", &first_name)]);
    nested.extend(object(read_points(extraction)));
    if document_type == DocumentType::Cc {
        nested.extend(object([
            ("pan", &masked_pan),
            ("expiryDate", &extraction.issue_date),
        ]));
    } else {
        nested.extend(object([(
            "cardNumberLastFourDigits",
            &extraction.card_number_last_four_digits,
        )]));
    }
    if let Some(address) = &extraction.address {
        nested.insert("addressFormat".to_owned(), serde_json::json!("RAW"));
        nested.extend(object(address_points(address)));
    }
    DocumentExtractedData {
        first_name,
        last_name: extraction.last_name.clone(),
        ssn: extraction.ssn.clone(),
        signature_available: extraction.signature_available,
        extracted_data: Some(serde_json::Value::Object(nested).to_string()),
    }
}

/// The callback's form fields: `timestamp`, `scanReference`, and `document` and `transaction`
/// as JSON texts (the callback guide's samples).
pub fn callback_form(
    links: &Links,
    verification: &DocumentVerification,
    pages: &[DocumentPage],
    sent_at: DateTime<Utc>,
) -> Vec<(&'static str, String)> {
    let mut document =
        serde_json::to_value(self::document(links, verification)).unwrap_or_default();
    if let Some(object) = document.as_object_mut() {
        let images: Vec<String> = pages
            .iter()
            .map(|page| page_href(links, verification.id, page.number))
            .collect();
        object.insert("images".to_owned(), serde_json::json!(images));
        // The callback guide's extractedData is flat: the data points, an address object.
        if let Some(extraction) = &verification.extraction {
            if extracted(extraction) {
                object.insert("extractedData".to_owned(), callback_extraction(extraction));
            }
        }
    }
    let request = &verification.request;
    let mut transaction = serde_json::json!({
        "date": timestamp::format(verification.created_at),
        "status": verification.status(sent_at).as_str(),
        "source": verification.source.as_str(),
        "merchantScanReference": request.merchant_scan_reference,
        "customerId": request.customer_id,
    });
    if let Some(object) = transaction.as_object_mut() {
        for (key, value) in [
            (
                "merchantReportingCriteria",
                &request.merchant_reporting_criteria,
            ),
            ("clientIp", &request.client_ip),
        ] {
            if let Some(value) = value {
                object.insert(key.to_owned(), serde_json::json!(value));
            }
        }
    }
    vec![
        ("timestamp", timestamp::format(sent_at)),
        ("scanReference", verification.id.to_string()),
        ("document", document.to_string()),
        ("transaction", transaction.to_string()),
    ]
}

/// The callback guide's `extractedData`: name (firstName/lastName for SSC), the data points,
/// and the address as a RAW object.
fn callback_extraction(extraction: &DocumentExtraction) -> serde_json::Value {
    let mut fields = object([
        ("name", &extraction.name),
        ("firstName", &extraction.first_name),
        (
            "cardNumberLastFourDigits",
            &extraction.card_number_last_four_digits,
        ),
    ]);
    fields.extend(object(read_points(extraction)));
    fields.insert(
        "signatureAvailable".to_owned(),
        serde_json::Value::String(extraction.signature_available.to_string()),
    );
    if let Some(address) = &extraction.address {
        fields.insert(
            "address".to_owned(),
            serde_json::Value::Object(object(address_points(address))),
        );
    }
    serde_json::Value::Object(fields)
}
