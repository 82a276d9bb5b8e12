//! Validation of `POST /api/v4/initiate`: turns the netverify request into the same
//! `Initiation` that account creation builds, so that a v4 transaction is a workflow execution
//! like any other (ID only -> workflow 2, ID + Identity -> workflow 3).

use chrono::Duration;
use verifyd_types::netverify::{InitiatePreset, InitiateRequest, WatchlistScreeningCheck};

use super::initiation::{locale_in, Initiation, PlannedCredential};
use super::screening_options::{self, ScreeningOptions};
use super::workflow_definition::WorkflowKey;
use super::{text, token_lifetime, url_rules, FieldError};
use crate::catalogue::{self, IdType};
use crate::model::{
    ApiOptions, CaptureMethod, Category, ExecutionApi, PredefinedType, Preset, WebSettings,
};

const MIN_MINUTES: f64 = 5.0;
const MAX_MINUTES: f64 = 86_400.0;

pub fn validate(
    request: &InitiateRequest,
    allow_local_urls: bool,
) -> Result<Initiation, FieldError> {
    let customer_internal_reference = match &request.customer_internal_reference {
        Some(value) => text::reference("customerInternalReference", value, 100)?,
        None => return Err(FieldError::new("customerInternalReference", "is required")),
    };
    let user_reference = match &request.user_reference {
        Some(value) => text::reference("userReference", value, 100)?,
        None => return Err(FieldError::new("userReference", "is required")),
    };
    let reporting_criteria = request
        .reporting_criteria
        .as_deref()
        .map(|value| text::free_text("reportingCriteria", value, 100))
        .transpose()?;
    let url = |field: &str, value: &Option<String>, max: usize| {
        value
            .as_deref()
            .map(|value| url_rules::validate(field, value, max, allow_local_urls))
            .transpose()
    };
    let (key, capture_method) = workflow(request.workflow_id.as_ref())?;
    let web = WebSettings {
        success_url: url("successUrl", &request.success_url, 2047)?,
        error_url: url("errorUrl", &request.error_url, 255)?,
        locale: request
            .locale
            .as_deref()
            .map(|value| locale_in("locale", value))
            .transpose()?,
        capture_method,
    };
    let callback_url = url("callbackUrl", &request.callback_url, 255)?;
    let token_lifetime = match &request.token_lifetime_in_minutes {
        None | Some(serde_json::Value::Null) => Duration::seconds(token_lifetime::DEFAULT_SECONDS),
        Some(value) => minutes(value)?,
    };
    let (country, id_type, screening_properties) =
        presets(request.presets.as_deref().unwrap_or(&[]))?;

    let credentials = planned_credentials(key, country, id_type);

    Ok(Initiation {
        key,
        api: ExecutionApi::NetverifyV4,
        customer_internal_reference,
        user_reference: Some(user_reference),
        reporting_criteria,
        callback_url,
        token_lifetime,
        web,
        user_consent: None,
        screening_properties,
        options: ApiOptions::default(),
        credentials,
    })
}

/// The credentials of a netverify transaction's workflow, the ID's country and type fixed by
/// the request when it names them.
pub(super) fn planned_credentials(
    key: WorkflowKey,
    country: Option<Preset>,
    id_type: Option<Preset>,
) -> Vec<PlannedCredential> {
    key.definition()
        .credentials
        .iter()
        .map(|template| {
            let is_id = template.category == Category::Id;
            PlannedCredential {
                category: template.category,
                country: country.clone().filter(|_| is_id),
                id_type: id_type.clone().filter(|_| is_id),
                allowed_channels: template.channels.to_vec(),
                on_file: None,
            }
        })
        .collect()
}

/// A value the request fixes for the user (`DEFINED`).
pub(super) fn defined(value: &str) -> Preset {
    Preset {
        predefined_type: PredefinedType::Defined,
        values: vec![value.to_owned()],
    }
}

/// `workflowId`: the hundreds say what is verified, the units how images are captured.
fn workflow(value: Option<&serde_json::Value>) -> Result<(WorkflowKey, CaptureMethod), FieldError> {
    const FIELD: &str = "workflowId";
    let id = match value {
        None | Some(serde_json::Value::Null) => 100,
        Some(serde_json::Value::Number(number)) => number.as_u64().unwrap_or(0),
        Some(serde_json::Value::String(text)) => text.trim().parse::<u64>().unwrap_or(0),
        Some(_) => 0,
    };
    let key = u16::try_from(id / 100 * 100)
        .ok()
        .and_then(WorkflowKey::netverify);
    let capture = match id % 100 {
        0 => Some(CaptureMethod::CameraAndUpload),
        1 => Some(CaptureMethod::CameraOnly),
        2 => Some(CaptureMethod::UploadOnly),
        _ => None,
    };
    match (key, capture) {
        (Some(key), Some(capture)) => Ok((key, capture)),
        _ => Err(FieldError::new(
            FIELD,
            "must be one of 100, 101, 102 (ID only) or 200, 201, 202 (ID + Identity)",
        )),
    }
}

fn minutes(value: &serde_json::Value) -> Result<Duration, FieldError> {
    const FIELD: &str = "tokenLifetimeInMinutes";
    let minutes = match value {
        serde_json::Value::Number(number) => number.as_f64(),
        serde_json::Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|minutes| minutes.is_finite())
    .ok_or_else(|| FieldError::new(FIELD, "must be a number of minutes"))?;
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        return Err(FieldError::new(
            FIELD,
            "must be between 5 and 86400 minutes",
        ));
    }
    // Whole seconds: the bounds make the conversion exact enough and never overflow.
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (minutes * 60.0).round() as i64;
    Ok(Duration::seconds(seconds))
}

type Presets = (Option<Preset>, Option<Preset>, Option<String>);

/// The one ID Verification preset (index 1: country and type), which fixes both for the user,
/// and its `additionalChecks.watchlistScreening`: the screening options as an execution keeps
/// them when the preset asks for screening.
fn presets(presets: &[InitiatePreset]) -> Result<Presets, FieldError> {
    let mut found = (None, None, None);
    for (position, preset) in presets.iter().enumerate() {
        let field = |name: &str| format!("presets[{position}].{name}");
        let index = preset.index.as_ref().and_then(|value| match value {
            serde_json::Value::Number(number) => number.as_u64(),
            serde_json::Value::String(text) => text.trim().parse().ok(),
            _ => None,
        });
        if index != Some(1) {
            return Err(FieldError::new(field("index"), "must be 1"));
        }
        if found.0.is_some() {
            return Err(FieldError::new(
                field("index"),
                "index 1 may be given only once",
            ));
        }
        let country = preset
            .country
            .as_deref()
            .ok_or_else(|| FieldError::new(field("country"), "is required"))?;
        if !catalogue::is_country(country) {
            return Err(FieldError::new(
                field("country"),
                "must be an ISO 3166-1 alpha-3 country code or XKX",
            ));
        }
        let id_type = preset
            .r#type
            .as_deref()
            .ok_or_else(|| FieldError::new(field("type"), "is required"))?;
        match id_type.parse::<IdType>() {
            Ok(IdType::Passport | IdType::DrivingLicense | IdType::IdCard) => {}
            _ => {
                return Err(FieldError::new(
                    field("type"),
                    "must be PASSPORT, DRIVING_LICENSE or ID_CARD",
                ))
            }
        }
        let screening = preset
            .additional_checks
            .as_ref()
            .and_then(|checks| checks.watchlist_screening.as_ref())
            .map(|check| screening(check, &field("additionalChecks.watchlistScreening")))
            .transpose()?
            .flatten();
        found = (Some(defined(country)), Some(defined(id_type)), screening);
    }
    Ok(found)
}

/// `additionalChecks.watchlistScreening`: none when `enabledSearch` (or the samples'
/// `enableSearch`) is false, else the options kept for the screening step.
pub(super) fn screening(
    check: &WatchlistScreeningCheck,
    field: &str,
) -> Result<Option<String>, FieldError> {
    let mut enabled = true;
    for (name, value) in [
        ("enabledSearch", &check.enabled_search),
        ("enableSearch", &check.enable_search),
    ] {
        let switch = match value {
            None | Some(serde_json::Value::Null) => continue,
            Some(serde_json::Value::Bool(on)) => *on,
            Some(serde_json::Value::String(text)) => match text.trim() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(FieldError::new(
                        format!("{field}.{name}"),
                        "must be true or false",
                    ))
                }
            },
            Some(_) => {
                return Err(FieldError::new(
                    format!("{field}.{name}"),
                    "must be true or false",
                ))
            }
        };
        enabled &= switch;
    }
    if !enabled {
        return Ok(None);
    }
    let search_profile = check
        .search_profile
        .as_deref()
        .map(|name| {
            screening_options::profile_name(name)
                .map_err(|message| FieldError::new(format!("{field}.searchProfile"), message))
        })
        .transpose()?;
    Ok(Some(screening_options::stored(&ScreeningOptions {
        search_profile,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: serde_json::Value) -> Result<InitiateRequest, serde_json::Error> {
        serde_json::from_value(body)
    }

    #[test]
    fn workflow_ids_choose_the_definition_and_the_capture_method(
    ) -> Result<(), Box<dyn std::error::Error>> {
        for (id, key, capture) in [
            (100, 2, CaptureMethod::CameraAndUpload),
            (101, 2, CaptureMethod::CameraOnly),
            (102, 2, CaptureMethod::UploadOnly),
            (200, 3, CaptureMethod::CameraAndUpload),
            (201, 3, CaptureMethod::CameraOnly),
            (202, 3, CaptureMethod::UploadOnly),
        ] {
            let initiation = validate(
                &request(
                    serde_json::json!({"customerInternalReference": "t", "userReference": "u", "workflowId": id}),
                )?,
                false,
            )?;
            assert_eq!(initiation.key.get(), key);
            assert_eq!(initiation.web.capture_method, capture);
        }
        for bad in [99, 103, 300, 0] {
            let error = validate(
                &request(
                    serde_json::json!({"customerInternalReference": "t", "userReference": "u", "workflowId": bad}),
                )?,
                false,
            );
            assert_eq!(error.err().map(|e| e.field), Some("workflowId".to_owned()));
        }
        Ok(())
    }

    #[test]
    fn token_lifetime_is_bounded_in_minutes() -> Result<(), Box<dyn std::error::Error>> {
        let with = |minutes: serde_json::Value| -> Result<Result<Initiation, FieldError>, serde_json::Error> {
            Ok(validate(
                &request(serde_json::json!({"customerInternalReference": "t", "userReference": "u", "tokenLifetimeInMinutes": minutes}))?,
                false,
            ))
        };
        assert_eq!(
            with(serde_json::json!(5))??.token_lifetime,
            Duration::minutes(5)
        );
        assert_eq!(
            with(serde_json::json!(86400))??.token_lifetime,
            Duration::minutes(86400)
        );
        assert!(with(serde_json::json!(4))?.is_err());
        assert!(with(serde_json::json!(86401))?.is_err());
        assert!(with(serde_json::json!("soon"))?.is_err());
        Ok(())
    }

    #[test]
    fn presets_fix_country_and_type_of_the_id() -> Result<(), Box<dyn std::error::Error>> {
        let initiation = validate(
            &request(
                serde_json::json!({"customerInternalReference": "t", "userReference": "u", "workflowId": 200,
                "presets": [{"index": 1, "country": "AUT", "type": "PASSPORT"}]}),
            )?,
            false,
        )?;
        let id = initiation
            .credentials
            .iter()
            .find(|c| c.category == Category::Id)
            .ok_or("no ID credential")?;
        assert_eq!(
            id.country.as_ref().map(|p| p.values.clone()),
            Some(vec!["AUT".to_owned()])
        );
        assert_eq!(
            id.id_type.as_ref().map(|p| p.values.clone()),
            Some(vec!["PASSPORT".to_owned()])
        );
        assert!(initiation
            .credentials
            .iter()
            .filter(|c| c.category != Category::Id)
            .all(|c| c.country.is_none() && c.id_type.is_none()));
        for (preset, field) in [
            (
                serde_json::json!({"index": 2, "country": "AUT", "type": "PASSPORT"}),
                "presets[0].index",
            ),
            (
                serde_json::json!({"index": 1, "country": "XXX", "type": "PASSPORT"}),
                "presets[0].country",
            ),
            (
                serde_json::json!({"index": 1, "country": "AUT", "type": "VISA"}),
                "presets[0].type",
            ),
            (
                serde_json::json!({"index": 1, "type": "PASSPORT"}),
                "presets[0].country",
            ),
        ] {
            let error = validate(
                &request(
                    serde_json::json!({"customerInternalReference": "t", "userReference": "u", "presets": [preset]}),
                )?,
                false,
            );
            assert_eq!(error.err().map(|e| e.field), Some(field.to_owned()));
        }
        Ok(())
    }

    #[test]
    fn a_preset_asks_for_watchlist_screening_with_its_profile(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let screening = |checks: serde_json::Value| {
            let body = serde_json::json!({"customerInternalReference": "t", "userReference": "u",
                "presets": [{"index": 1, "country": "USA", "type": "DRIVING_LICENSE",
                    "additionalChecks": {"watchlistScreening": checks}}]});
            request(body)
                .map_err(|error| FieldError::new("body", error.to_string()))
                .and_then(|request| validate(&request, false))
                .map(|initiation| initiation.screening_properties)
        };
        // The guide's sample, with the string "true" and the samples' spelling.
        assert_eq!(
            screening(
                serde_json::json!({"enableSearch": "true", "searchProfile": "sanctions-only"})
            ),
            Ok(Some(r#"{"searchProfile":"sanctions-only"}"#.to_owned()))
        );
        assert_eq!(
            screening(serde_json::json!({"enabledSearch": true})),
            Ok(Some(String::new()))
        );
        assert_eq!(
            screening(serde_json::json!({"enabledSearch": "false"})),
            Ok(None)
        );
        assert_eq!(
            screening(serde_json::json!({"enabledSearch": "yes"})).map_err(|e| e.field),
            Err("presets[0].additionalChecks.watchlistScreening.enabledSearch".to_owned())
        );
        assert_eq!(
            screening(serde_json::json!({"searchProfile": "no such profile!"}))
                .map_err(|e| e.field),
            Err("presets[0].additionalChecks.watchlistScreening.searchProfile".to_owned())
        );
        Ok(())
    }

    #[test]
    fn references_are_required() -> Result<(), Box<dyn std::error::Error>> {
        let error = validate(&request(serde_json::json!({"userReference": "u"}))?, false);
        assert_eq!(
            error.err().map(|e| e.field),
            Some("customerInternalReference".to_owned())
        );
        let error = validate(
            &request(serde_json::json!({"customerInternalReference": "t"}))?,
            false,
        );
        assert_eq!(
            error.err().map(|e| e.field),
            Some("userReference".to_owned())
        );
        Ok(())
    }
}
