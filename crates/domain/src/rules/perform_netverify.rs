//! Validation of `POST /api/netverify/v2/performNetverify`: the netverify API's server-to-server
//! submission. The request becomes the same `Initiation` as a v4 one (ID only -> workflow 2, with
//! a face image ID + Identity -> workflow 3), plus the decoded images, which the service checks
//! as uploads, and the customer's data, kept as the ID's PREPARED_DATA.
//!
//! Decoding up to three 15 MB images is heavy: the server calls `validate` off the async runtime.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use bytes::Bytes;
use chrono::{Duration, NaiveDate};
use verifyd_types::netverify::PerformNetverifyRequest;
use verifyd_types::PreparedData;

use super::initiation::{consent, Initiation};
use super::netverify::{defined, planned_credentials};
use super::workflow_definition::WorkflowKey;
use super::{text, token_lifetime, url_rules, FieldError};
use crate::catalogue::{self, IdType};
use crate::model::{
    ApiOptions, CallbackGranularity, Classifier, EnabledField, ExecutionApi, MediaType, WebSettings,
};

/// Base64 as clients send it: the standard alphabet, padding or not.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// One decoded image of the request, still to be checked as an upload.
#[derive(Debug, Clone)]
pub struct SubmittedImage {
    /// The request field it came from, named in every refusal.
    pub field: &'static str,
    /// The field that declares its type.
    pub mime_field: &'static str,
    pub declared: MediaType,
    pub classifier: Classifier,
    pub bytes: Bytes,
}

/// A valid performNetverify request.
#[derive(Debug, Clone)]
pub struct Performance {
    pub initiation: Initiation,
    /// Front first, then back and face when sent.
    pub images: Vec<SubmittedImage>,
    /// The customer's data to compare with the document (`firstName`, `lastName`, `dob`,
    /// `personalNumber`; `number`, `expiry` and `usState` under `id`), the fields
    /// `enabledFields` leaves out removed: what is not processed is not compared either.
    pub prepared: Option<PreparedData>,
}

pub fn validate(
    request: &PerformNetverifyRequest,
    allow_local_urls: bool,
    max_image_bytes: usize,
) -> Result<Performance, FieldError> {
    let required = |field: &'static str, value: &Option<String>| {
        value
            .clone()
            .ok_or_else(|| FieldError::new(field, "is required"))
    };
    let customer_internal_reference = text::reference(
        "merchantIdScanReference",
        &required(
            "merchantIdScanReference",
            &request.merchant_id_scan_reference,
        )?,
        100,
    )?;
    let user_reference = text::reference(
        "customerId",
        &required("customerId", &request.customer_id)?,
        100,
    )?;
    let country = required("country", &request.country)?;
    if !catalogue::is_country(&country) {
        return Err(FieldError::new(
            "country",
            "must be an ISO 3166-1 alpha-3 country code or XKX",
        ));
    }
    let id_type = required("idType", &request.id_type)?;
    if id_type.parse::<IdType>().is_err() {
        return Err(FieldError::new(
            "idType",
            "must be PASSPORT, DRIVING_LICENSE, ID_CARD or VISA",
        ));
    }
    if request.frontside_image.is_none() {
        return Err(FieldError::new("frontsideImage", "is required"));
    }
    let enabled_fields = request
        .enabled_fields
        .as_deref()
        .map(enabled_fields)
        .transpose()?;
    if request.face_image.is_none()
        && enabled_fields
            .as_ref()
            .is_some_and(|fields| fields.contains(&EnabledField::IdFaceMatch))
    {
        return Err(FieldError::new(
            "faceImage",
            "is required when enabledFields lists idFaceMatch",
        ));
    }
    let reporting_criteria = request
        .merchant_reporting_criteria
        .as_deref()
        .map(|value| text::free_text("merchantReportingCriteria", value, 100))
        .transpose()?;
    let callback_url = request
        .callback_url
        .as_deref()
        .map(|value| url_rules::validate("callbackUrl", value, 255, allow_local_urls))
        .transpose()?;
    let callback_granularity = match request.callback_granularity.as_deref() {
        None => CallbackGranularity::default(),
        Some(value) => CallbackGranularity::parse(value).ok_or_else(|| {
            FieldError::new("callbackGranularity", "must be onFinish or onAllSteps")
        })?,
    };
    let options = ApiOptions {
        enabled_fields,
        callback_granularity,
    };
    let user_consent = request.user_consent.as_ref().map(consent).transpose()?;
    let prepared = customer_data(request, &options)?;

    let mut images = Vec::new();
    for (field, mime_field, classifier, value, mime) in [
        (
            "frontsideImage",
            "frontsideImageMimeType",
            Classifier::Front,
            &request.frontside_image,
            &request.frontside_image_mime_type,
        ),
        (
            "backsideImage",
            "backsideImageMimeType",
            Classifier::Back,
            &request.backside_image,
            &request.backside_image_mime_type,
        ),
        (
            "faceImage",
            "faceImageMimeType",
            Classifier::Face,
            &request.face_image,
            &request.face_image_mime_type,
        ),
    ] {
        let declared = match mime.as_deref() {
            None | Some("image/jpeg") => MediaType::Jpeg,
            Some("image/png") => MediaType::Png,
            Some(_) => {
                return Err(FieldError::new(
                    mime_field,
                    "must be image/jpeg or image/png",
                ))
            }
        };
        if let Some(value) = value {
            images.push(SubmittedImage {
                field,
                mime_field,
                declared,
                classifier,
                bytes: decode(field, value, max_image_bytes)?,
            });
        }
    }
    if !options.enabled(EnabledField::IdFaceMatch) {
        // Checked as base64 like the others, then left out: the face is not matched.
        images.retain(|image| image.classifier != Classifier::Face);
    }
    let with_face = images
        .iter()
        .any(|image| image.classifier == Classifier::Face);
    let key = WorkflowKey::netverify(if with_face { 200 } else { 100 })
        .ok_or_else(|| FieldError::new("faceImage", "no workflow verifies this request"))?;

    let screening_properties = request
        .additional_checks
        .as_ref()
        .and_then(|checks| checks.watchlist_screening.as_ref())
        .map(|check| super::netverify::screening(check, "additionalChecks.watchlistScreening"))
        .transpose()?
        .flatten();

    Ok(Performance {
        initiation: Initiation {
            key,
            api: ExecutionApi::PerformNetverify,
            customer_internal_reference,
            user_reference: Some(user_reference),
            reporting_criteria,
            callback_url,
            token_lifetime: Duration::seconds(token_lifetime::DEFAULT_SECONDS),
            web: WebSettings::default(),
            user_consent,
            screening_properties,
            options,
            credentials: planned_credentials(key, Some(defined(&country)), Some(defined(&id_type))),
        },
        images,
        prepared,
    })
}

fn enabled_fields(value: &str) -> Result<Vec<EnabledField>, FieldError> {
    const FIELD: &str = "enabledFields";
    text::free_text(FIELD, value, 100)?;
    value
        .split(',')
        .map(|name| {
            let name = name.trim();
            EnabledField::parse(name).ok_or_else(|| {
                let known: Vec<_> = EnabledField::ALL.iter().map(|f| f.as_str()).collect();
                FieldError::new(
                    FIELD,
                    format!("{name:?} is not one of {}", known.join(", ")),
                )
            })
        })
        .collect()
}

/// The customer's data, each field in its own limits, as the ID's PREPARED_DATA.
fn customer_data(
    request: &PerformNetverifyRequest,
    options: &ApiOptions,
) -> Result<Option<PreparedData>, FieldError> {
    // Each field is checked whether it is processed or not: a bad value is the client's error.
    let text = |field: &str, value: &Option<String>, max: usize, enabled: EnabledField| {
        value
            .as_deref()
            .map(|value| text::free_text(field, value, max))
            .transpose()
            .map(|value| value.filter(|_| options.enabled(enabled)))
    };
    let date = |field: &str, value: &Option<String>, enabled: EnabledField| {
        value
            .as_deref()
            .map(|value| {
                NaiveDate::parse_from_str(value, "%Y-%m-%d")
                    .map(|_| value.to_owned())
                    .map_err(|_| FieldError::new(field, "must be a date as YYYY-MM-DD"))
            })
            .transpose()
            .map(|value| value.filter(|_| options.enabled(enabled)))
    };
    let first_name = text(
        "firstName",
        &request.first_name,
        100,
        EnabledField::IdFirstName,
    )?;
    let last_name = text(
        "lastName",
        &request.last_name,
        100,
        EnabledField::IdLastName,
    )?;
    let date_of_birth = date("dob", &request.dob, EnabledField::IdDob)?;
    let personal_number = text(
        "personalNumber",
        &request.personal_number,
        14,
        EnabledField::IdPersonalNumber,
    )?;
    let mut id = serde_json::Map::new();
    for (name, value) in [
        (
            "number",
            text("number", &request.number, 100, EnabledField::IdNumber)?,
        ),
        (
            "expiry",
            date("expiry", &request.expiry, EnabledField::IdExpiry)?,
        ),
        (
            "usState",
            text("usState", &request.us_state, 100, EnabledField::IdUsState)?,
        ),
    ] {
        if let Some(value) = value {
            id.insert(name.to_owned(), value.into());
        }
    }
    let data = PreparedData {
        first_name,
        last_name,
        date_of_birth,
        personal_number,
        id: (!id.is_empty()).then_some(id),
        ..PreparedData::default()
    };
    let empty = data.first_name.is_none()
        && data.last_name.is_none()
        && data.date_of_birth.is_none()
        && data.personal_number.is_none()
        && data.id.is_none();
    Ok((!empty).then_some(data))
}

/// Base64 to bytes, whitespace ignored; an image over `max` bytes is refused before decoding.
fn decode(field: &str, value: &str, max: usize) -> Result<Bytes, FieldError> {
    let too_large = |size: usize| {
        FieldError::new(
            field,
            format!("the image is {size} bytes; at most {max} are accepted"),
        )
    };
    let compact: std::borrow::Cow<'_, str> = if value.bytes().any(|b| b.is_ascii_whitespace()) {
        value.chars().filter(|c| !c.is_ascii_whitespace()).collect()
    } else {
        value.into()
    };
    let estimate = compact.len() / 4 * 3;
    if estimate > max + 3 {
        return Err(too_large(estimate));
    }
    let bytes = BASE64
        .decode(compact.as_bytes())
        .map_err(|error| FieldError::new(field, format!("is not base64: {error}")))?;
    if bytes.is_empty() {
        return Err(FieldError::new(field, "is empty"));
    }
    if bytes.len() > max {
        return Err(too_large(bytes.len()));
    }
    Ok(Bytes::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: serde_json::Value) -> Result<PerformNetverifyRequest, serde_json::Error> {
        serde_json::from_value(body)
    }

    fn base() -> serde_json::Value {
        serde_json::json!({
            "merchantIdScanReference": "scan-1",
            "customerId": "customer-1",
            "country": "AUT",
            "idType": "PASSPORT",
            "frontsideImage": BASE64.encode(b"front bytes"),
        })
    }

    fn field_of(body: serde_json::Value) -> Result<Option<String>, serde_json::Error> {
        Ok(validate(&request(body)?, false, 100).err().map(|e| e.field))
    }

    #[test]
    fn additional_checks_ask_for_watchlist_screening() -> Result<(), Box<dyn std::error::Error>> {
        assert_eq!(
            validate(&request(base())?, false, 100)?
                .initiation
                .screening_properties,
            None
        );
        // The screening guide's API sample.
        let mut body = base();
        body["additionalChecks"] = serde_json::json!({"watchlistScreening": {"enableSearch": "true", "searchProfile": "sanctions-only"}});
        assert_eq!(
            validate(&request(body)?, false, 100)?
                .initiation
                .screening_properties,
            Some(r#"{"searchProfile":"sanctions-only"}"#.to_owned())
        );
        let mut body = base();
        body["additionalChecks"] =
            serde_json::json!({"watchlistScreening": {"enabledSearch": "maybe"}});
        assert_eq!(
            field_of(body)?,
            Some("additionalChecks.watchlistScreening.enabledSearch".to_owned())
        );
        Ok(())
    }

    #[test]
    fn the_face_image_chooses_id_and_identity() -> Result<(), Box<dyn std::error::Error>> {
        let id_only = validate(&request(base())?, false, 100)?;
        assert_eq!(id_only.initiation.key.get(), 2);
        assert_eq!(id_only.images.len(), 1);
        assert!(id_only.prepared.is_none());
        let mut body = base();
        body["faceImage"] = BASE64.encode(b"face").into();
        body["faceImageMimeType"] = "image/png".into();
        body["firstName"] = "JANE".into();
        body["number"] = "P123".into();
        let with_face = validate(&request(body)?, false, 100)?;
        assert_eq!(with_face.initiation.key.get(), 3);
        assert_eq!(with_face.images[1].declared, MediaType::Png);
        assert_eq!(
            with_face
                .prepared
                .and_then(|p| p.id)
                .map(|id| id["number"].clone()),
            Some(serde_json::json!("P123"))
        );
        Ok(())
    }

    #[test]
    fn enabled_fields_leave_out_the_face_match_and_the_customer_data_not_listed(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let mut body = base();
        body["faceImage"] = BASE64.encode(b"face").into();
        body["firstName"] = "JANE".into();
        body["lastName"] = "ROE".into();
        body["number"] = "P123".into();
        body["enabledFields"] = "idNumber, idLastName".into();
        body["callbackGranularity"] = "onAllSteps".into();
        let performed = validate(&request(body)?, false, 100)?;
        // Without idFaceMatch the face is not matched: ID only, the face image not kept.
        assert_eq!(performed.initiation.key.get(), 2);
        assert_eq!(performed.images.len(), 1);
        let options = &performed.initiation.options;
        assert_eq!(
            options.enabled_fields,
            Some(vec![EnabledField::IdNumber, EnabledField::IdLastName])
        );
        assert_eq!(
            options.callback_granularity,
            CallbackGranularity::OnAllSteps
        );
        let prepared = performed.prepared.ok_or("no customer data")?;
        assert_eq!(prepared.first_name, None);
        assert_eq!(prepared.last_name.as_deref(), Some("ROE"));
        assert_eq!(
            prepared.id.map(|id| id["number"].clone()),
            Some(serde_json::json!("P123"))
        );
        // Stored and read back as written.
        assert_eq!(
            ApiOptions::from_columns(
                options.enabled_fields_column().as_deref(),
                options.callback_granularity.as_str()
            )
            .as_ref(),
            Ok(options)
        );
        Ok(())
    }

    #[test]
    fn every_rule_names_its_field() -> Result<(), Box<dyn std::error::Error>> {
        for (change, field) in [
            (
                serde_json::json!({"merchantIdScanReference": null}),
                "merchantIdScanReference",
            ),
            (
                serde_json::json!({"customerId": "x".repeat(101)}),
                "customerId",
            ),
            (serde_json::json!({"country": "XXX"}), "country"),
            (serde_json::json!({"idType": "RESIDENCE"}), "idType"),
            (
                serde_json::json!({"frontsideImage": null}),
                "frontsideImage",
            ),
            (
                serde_json::json!({"frontsideImage": "not base64!"}),
                "frontsideImage",
            ),
            (
                serde_json::json!({"backsideImage": "A".repeat(200)}),
                "backsideImage",
            ),
            (
                serde_json::json!({"frontsideImageMimeType": "image/gif"}),
                "frontsideImageMimeType",
            ),
            (
                serde_json::json!({"enabledFields": "idNumber,idShoeSize"}),
                "enabledFields",
            ),
            (
                serde_json::json!({"enabledFields": "idNumber, idFaceMatch"}),
                "faceImage",
            ),
            (
                serde_json::json!({"personalNumber": "123456789012345"}),
                "personalNumber",
            ),
            (serde_json::json!({"dob": "1990-02-30"}), "dob"),
            (
                serde_json::json!({"callbackGranularity": "sometimes"}),
                "callbackGranularity",
            ),
            (
                serde_json::json!({"callbackUrl": "http://example.com/cb"}),
                "callbackUrl",
            ),
        ] {
            let mut body = base();
            if let (Some(body), Some(change)) = (body.as_object_mut(), change.as_object()) {
                for (name, value) in change {
                    body.insert(name.clone(), value.clone());
                }
            }
            assert_eq!(field_of(body)?, Some(field.to_owned()), "{change}");
        }
        Ok(())
    }

    #[test]
    fn base64_may_wrap_and_omit_its_padding() -> Result<(), Box<dyn std::error::Error>> {
        let encoded = BASE64.encode(b"front bytes!");
        let wrapped = format!("{}\n{}", &encoded[..8], encoded[8..].trim_end_matches('='));
        assert_eq!(
            decode("f", &wrapped, 100)?,
            Bytes::from_static(b"front bytes!")
        );
        Ok(())
    }
}
