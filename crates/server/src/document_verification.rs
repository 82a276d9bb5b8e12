//! A Document Verification transaction in the wire's terms: the `document` and `transaction`
//! objects that retrieval answers and the callback posts, with their hrefs.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use verifyd_domain::model::{DocumentPage, DocumentVerification, RawAddress};
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
            .filter(|extraction| {
                extraction
                    .status
                    .is_some_and(|status| status.as_str() == "EXTRACTED")
            })
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

/// The guide's `extractedData`: `firstName` holds the full name (SSC: the first name), and the
/// nested `extractedData` every data point read, as a JSON text.
fn extracted_data(
    extraction: &verifyd_domain::model::DocumentExtraction,
    document_type: DocumentType,
) -> DocumentExtractedData {
    let first_name = extraction
        .first_name
        .clone()
        .or_else(|| extraction.name.clone());
    let mut nested = serde_json::Map::new();
    let mut put = |key: &str, value: &Option<String>| {
        if let Some(value) = value {
            nested.insert(key.to_owned(), serde_json::Value::String(value.clone()));
        }
    };
    put("firstName", &first_name);
    put("lastName", &extraction.last_name);
    put("ssn", &extraction.ssn);
    put("issueDate", &extraction.issue_date);
    put("dueDate", &extraction.due_date);
    put("accountNumber", &extraction.account_number);
    put("swiftCode", &extraction.swift_code);
    put("dateOfBirth", &extraction.date_of_birth);
    if document_type == DocumentType::Cc {
        put(
            "pan",
            &extraction
                .card_number_last_four_digits
                .as_ref()
                .map(|last| format!("XXXXXXXXXXXX{last}")),
        );
        put("expiryDate", &extraction.issue_date);
    } else {
        put(
            "cardNumberLastFourDigits",
            &extraction.card_number_last_four_digits,
        );
    }
    if let Some(address) = &extraction.address {
        address_fields(&mut put, address);
    }
    DocumentExtractedData {
        first_name,
        last_name: extraction.last_name.clone(),
        ssn: extraction.ssn.clone(),
        signature_available: extraction.signature_available,
        extracted_data: Some(serde_json::Value::Object(nested).to_string()),
    }
}

fn address_fields(put: &mut impl FnMut(&str, &Option<String>), address: &RawAddress) {
    put("addressFormat", &Some("RAW".to_owned()));
    put("line1", &address.line1);
    put("line2", &address.line2);
    put("postalCode", &address.postal_code);
    put("city", &address.city);
    put("subdivision", &address.subdivision);
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
            if extraction
                .status
                .is_some_and(|status| status.as_str() == "EXTRACTED")
            {
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
fn callback_extraction(
    extraction: &verifyd_domain::model::DocumentExtraction,
) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    let mut put = |key: &str, value: &Option<String>| {
        if let Some(value) = value {
            object.insert(key.to_owned(), serde_json::Value::String(value.clone()));
        }
    };
    put("name", &extraction.name);
    put("firstName", &extraction.first_name);
    put("lastName", &extraction.last_name);
    put("ssn", &extraction.ssn);
    put("issueDate", &extraction.issue_date);
    put("dueDate", &extraction.due_date);
    put("accountNumber", &extraction.account_number);
    put("swiftCode", &extraction.swift_code);
    put(
        "cardNumberLastFourDigits",
        &extraction.card_number_last_four_digits,
    );
    put("dateOfBirth", &extraction.date_of_birth);
    object.insert(
        "signatureAvailable".to_owned(),
        serde_json::Value::String(extraction.signature_available.to_string()),
    );
    if let Some(address) = &extraction.address {
        let mut fields = serde_json::Map::new();
        address_fields(
            &mut |key: &str, value: &Option<String>| {
                if let Some(value) = value {
                    fields.insert(key.to_owned(), serde_json::Value::String(value.clone()));
                }
            },
            address,
        );
        fields.remove("addressFormat");
        object.insert("address".to_owned(), serde_json::Value::Object(fields));
    }
    serde_json::Value::Object(object)
}
