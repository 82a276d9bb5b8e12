//! Validation of a Document Verification request: the body of `POST .../acquisitions` and the
//! `metadata` of `POST .../acquisitions/complete`, with the guide's required fields and
//! lengths; the web client's settings by `document_web_client`.

use verifyd_types::document_verification::AcquisitionRequest;
use verifyd_types::values::DocumentType;

use super::{document_web_client, text, url_rules, FieldError};
use crate::catalogue;
use crate::error::DomainError;
use crate::model::DocumentRequest;

pub fn validate(
    request: &AcquisitionRequest,
    allow_local_urls: bool,
) -> Result<DocumentRequest, DomainError> {
    Ok(fields(request, allow_local_urls)?)
}

fn fields(
    request: &AcquisitionRequest,
    allow_local_urls: bool,
) -> Result<DocumentRequest, FieldError> {
    let required = |field: &'static str, value: &Option<String>| {
        value
            .clone()
            .ok_or_else(|| FieldError::new(field, "is required"))
    };
    let code = required("type", &request.document_type)?;
    let document_type = DocumentType::parse(code.trim()).ok_or_else(|| {
        FieldError::new(
            "type",
            "must be a code of supportedDocumentTypes (BS, UB, CC, ...)",
        )
    })?;
    let country = match (&request.country, document_type) {
        (None, DocumentType::Cc) => None,
        (None, _) => {
            return Err(FieldError::new(
                "country",
                "is required (except for type CC)",
            ))
        }
        (Some(country), _) if catalogue::is_country(country) => Some(country.clone()),
        (Some(_), _) => {
            return Err(FieldError::new(
                "country",
                "must be an ISO 3166-1 alpha-3 country code or XKX",
            ))
        }
    };
    let merchant_scan_reference = text::reference(
        "merchantScanReference",
        &required("merchantScanReference", &request.merchant_scan_reference)?,
        100,
    )?;
    let customer_id = text::reference(
        "customerId",
        &required("customerId", &request.customer_id)?,
        100,
    )?;
    let optional = |field: &'static str, value: &Option<String>, max: usize| {
        value
            .as_deref()
            .map(|value| text::free_text(field, value, max))
            .transpose()
    };
    let merchant_reporting_criteria = optional(
        "merchantReportingCriteria",
        &request.merchant_reporting_criteria,
        255,
    )?;
    let custom_document_code = optional("customDocumentCode", &request.custom_document_code, 100)?
        .filter(|code| !code.trim().is_empty());
    if document_type == DocumentType::Custom && custom_document_code.is_none() {
        return Err(FieldError::new(
            "customDocumentCode",
            "is required when type is CUSTOM",
        ));
    }
    let client_ip = optional("clientIp", &request.client_ip, 100)?;
    let callback_url = request
        .callback_url
        .as_deref()
        .map(|value| url_rules::validate("callbackUrl", value, 255, allow_local_urls))
        .transpose()?;
    let enable_extraction = match &request.enable_extraction {
        None | Some(serde_json::Value::Null) => true,
        Some(serde_json::Value::Bool(on)) => *on,
        Some(serde_json::Value::String(text)) if text.trim() == "true" => true,
        Some(serde_json::Value::String(text)) if text.trim() == "false" => false,
        Some(_) => return Err(FieldError::new("enableExtraction", "must be true or false")),
    };
    Ok(DocumentRequest {
        document_type,
        country,
        merchant_scan_reference,
        customer_id,
        merchant_reporting_criteria,
        callback_url,
        enable_extraction,
        custom_document_code,
        client_ip,
        web: document_web_client::validate(request, allow_local_urls)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: serde_json::Value) -> AcquisitionRequest {
        serde_json::from_value(body).unwrap_or_default()
    }

    fn refused_field(body: serde_json::Value) -> String {
        match validate(&request(body), false) {
            Err(DomainError::InvalidField(error)) => error.field,
            other => format!("not a field's refusal: {other:?}"),
        }
    }

    #[test]
    fn the_guides_sample_is_valid() {
        let valid = validate(
            &request(
                serde_json::json!({"type": "BS", "country": "USA", "merchantScanReference": "transaction_1234", "customerId": "user_1234"}),
            ),
            false,
        );
        let valid = valid
            .ok()
            .map(|request| (request.document_type, request.enable_extraction));
        assert_eq!(valid, Some((DocumentType::Bs, true)));
    }

    #[test]
    fn each_rule_names_its_field() {
        let base = serde_json::json!({"type": "UB", "country": "USA", "merchantScanReference": "r", "customerId": "c"});
        let with = |key: &str, value: serde_json::Value| {
            let mut body = base.clone();
            body[key] = value;
            body
        };
        let without = |key: &str| {
            let mut body = base.clone();
            body.as_object_mut().map(|object| object.remove(key));
            body
        };
        assert_eq!(refused_field(without("type")), "type");
        assert_eq!(refused_field(with("type", "PASSPORT".into())), "type");
        assert_eq!(refused_field(without("country")), "country");
        assert_eq!(refused_field(with("country", "XXX".into())), "country");
        assert_eq!(
            refused_field(without("merchantScanReference")),
            "merchantScanReference"
        );
        assert_eq!(
            refused_field(with("customerId", "a".repeat(101).into())),
            "customerId"
        );
        assert_eq!(
            refused_field(with("type", "CUSTOM".into())),
            "customDocumentCode"
        );
        assert_eq!(
            refused_field(with("callbackUrl", "http://example.com".into())),
            "callbackUrl"
        );
        assert_eq!(
            refused_field(with("enableExtraction", "yes".into())),
            "enableExtraction"
        );
        assert_eq!(
            refused_field(with("merchantReportingCriteria", "a".repeat(256).into())),
            "merchantReportingCriteria"
        );
    }

    #[test]
    fn a_credit_card_needs_no_country() {
        let body =
            serde_json::json!({"type": "CC", "merchantScanReference": "r", "customerId": "c"});
        assert!(validate(&request(body), false).is_ok());
    }

    #[test]
    fn the_web_client_settings_are_validated_with_the_rest() {
        let body = serde_json::json!({"type": "BS", "country": "USA", "merchantScanReference": "r", "customerId": "c", "successUrl": "https://example.com/ok", "locale": "de"});
        let taken = validate(&request(body), false).map(|request| request.web);
        assert!(
            matches!(&taken, Ok(web) if web.success_url.as_deref() == Some("https://example.com/ok") && web.locale.as_deref() == Some("de")),
            "{taken:?}"
        );
        let body = serde_json::json!({"type": "BS", "country": "USA", "merchantScanReference": "r", "customerId": "c", "errorUrl": "ftp://example.com/"});
        assert_eq!(refused_field(body), "errorUrl");
    }
}
