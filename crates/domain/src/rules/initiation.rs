//! Validation of account creation and update: turns the request body into an `Initiation`, or
//! names the first field that breaks a rule.

use std::net::IpAddr;

use chrono::Duration;
use uuid::Uuid;
use verifyd_types::{AccountRequest, CredentialDefinitionRequest, PresetRequest, UserConsent};

use super::workflow_definition::{
    keys, CredentialRequests, CredentialTemplate, Screening, WorkflowKey, DOCUMENT_CHANNELS,
    SIMILARITY_CHANNELS,
};
use super::{text, token_lifetime, url_rules, FieldError};
use crate::catalogue::{self, IdType, FACEMAP_TYPES};
use crate::model::{
    ApiOptions, Category, Channel, ExecutionApi, PredefinedType, Preset, WebSettings,
};
use crate::timestamp;

/// The most extra DOCUMENT credentials one execution may carry.
const MAX_DOCUMENTS: usize = 5;

/// A validated request to start a workflow execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Initiation {
    pub key: WorkflowKey,
    pub api: ExecutionApi,
    pub customer_internal_reference: String,
    pub user_reference: Option<String>,
    pub reporting_criteria: Option<String>,
    pub callback_url: Option<String>,
    pub token_lifetime: Duration,
    pub web: WebSettings,
    pub user_consent: Option<serde_json::Value>,
    pub screening_properties: Option<String>,
    pub options: ApiOptions,
    pub credentials: Vec<PlannedCredential>,
}

/// A credential the execution will acquire, or (workflow 5) one already on file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCredential {
    pub category: Category,
    pub country: Option<Preset>,
    pub id_type: Option<Preset>,
    pub allowed_channels: Vec<Channel>,
    pub on_file: Option<Uuid>,
}

pub fn validate(
    request: &AccountRequest,
    allow_local_urls: bool,
) -> Result<Initiation, FieldError> {
    let definition_request = request
        .workflow_definition
        .as_ref()
        .ok_or_else(|| FieldError::new("workflowDefinition", "is required"))?;
    let key = workflow_key(definition_request.key.as_ref())?;
    let definition = key.definition();

    let customer_internal_reference = match &request.customer_internal_reference {
        Some(value) => text::reference("customerInternalReference", value, 100)?,
        None => return Err(FieldError::new("customerInternalReference", "is required")),
    };
    let user_reference = request
        .user_reference
        .as_deref()
        .map(|value| text::reference("userReference", value, 100))
        .transpose()?;
    if definition.requires_user_reference && user_reference.is_none() {
        return Err(FieldError::new(
            "userReference",
            format!("is required for workflow {key}"),
        ));
    }
    let reporting_criteria = request
        .reporting_criteria
        .as_deref()
        .map(|value| text::free_text("reportingCriteria", value, 255))
        .transpose()?;
    let callback_url = request
        .callback_url
        .as_deref()
        .map(|value| url_rules::validate("callbackUrl", value, 255, allow_local_urls))
        .transpose()?;
    let token_lifetime = match &request.token_lifetime {
        Some(value) => token_lifetime::parse("tokenLifetime", value)?,
        None => Duration::seconds(token_lifetime::DEFAULT_SECONDS),
    };
    let web = match &request.web {
        None => WebSettings::default(),
        Some(web) => WebSettings {
            success_url: web
                .success_url
                .as_deref()
                .map(|value| url_rules::validate("web.successUrl", value, 255, allow_local_urls))
                .transpose()?,
            error_url: web
                .error_url
                .as_deref()
                .map(|value| url_rules::validate("web.errorUrl", value, 255, allow_local_urls))
                .transpose()?,
            locale: web.locale.as_deref().map(locale).transpose()?,
            capture_method: Default::default(),
        },
    };
    let user_consent = request.user_consent.as_ref().map(consent).transpose()?;
    // Present when the request asks for screening: its `additionalProperties` as sent (read
    // when the step runs, so bad options are its VALIDATION_FAILED), or empty.
    let screening_properties = definition_request
        .capabilities
        .as_ref()
        .and_then(|capabilities| capabilities.watchlist_screening.as_ref())
        .map(|screening| {
            screening
                .additional_properties
                .as_deref()
                .map(|value| {
                    text::free_text(
                        "workflowDefinition.capabilities.watchlistScreening.additionalProperties",
                        value,
                        1000,
                    )
                })
                .transpose()
                .map(Option::unwrap_or_default)
        })
        .transpose()?;
    if screening_properties.is_some() && key.definition().steps.screening == Screening::Never {
        return Err(FieldError::new(
            "workflowDefinition.capabilities.watchlistScreening",
            format!(
                "is only available in workflows {}",
                keys(|definition| definition.steps.screening != Screening::Never)
            ),
        ));
    }

    let requested = definition_request.credentials.as_deref().unwrap_or(&[]);
    let credentials = plan_credentials(key, definition.credentials, requested)?;

    Ok(Initiation {
        key,
        api: ExecutionApi::Kyx,
        customer_internal_reference,
        user_reference,
        reporting_criteria,
        callback_url,
        token_lifetime,
        web,
        user_consent,
        screening_properties,
        options: ApiOptions::default(),
        credentials,
    })
}

fn workflow_key(value: Option<&serde_json::Value>) -> Result<WorkflowKey, FieldError> {
    const FIELD: &str = "workflowDefinition.key";
    let number = match value {
        None | Some(serde_json::Value::Null) => return Err(FieldError::new(FIELD, "is required")),
        Some(serde_json::Value::Number(number)) => number.as_u64(),
        Some(serde_json::Value::String(text)) => text.trim().parse::<u64>().ok(),
        Some(_) => None,
    };
    number
        .and_then(|n| u16::try_from(n).ok())
        .and_then(WorkflowKey::new)
        .ok_or_else(|| {
            FieldError::new(
                FIELD,
                format!(
                    "must be one of the workflow definition keys {}",
                    keys(|_| true)
                ),
            )
        })
}

fn locale(value: &str) -> Result<String, FieldError> {
    locale_in("web.locale", value)
}

pub(super) fn locale_in(field: &str, value: &str) -> Result<String, FieldError> {
    if catalogue::is_locale(value) {
        Ok(value.to_owned())
    } else {
        Err(FieldError::new(
            field,
            format!("{value:?} is not a supported locale"),
        ))
    }
}

pub(super) fn consent(consent: &UserConsent) -> Result<serde_json::Value, FieldError> {
    let ip = consent
        .user_ip
        .as_deref()
        .ok_or_else(|| FieldError::new("userConsent.userIp", "is required"))?;
    ip.parse::<IpAddr>()
        .map_err(|_| FieldError::new("userConsent.userIp", "must be an IPv4 or IPv6 address"))?;
    let location = consent
        .user_location
        .as_ref()
        .ok_or_else(|| FieldError::new("userConsent.userLocation", "is required"))?;
    let country = location
        .country
        .as_deref()
        .ok_or_else(|| FieldError::new("userConsent.userLocation.country", "is required"))?;
    if !catalogue::is_country(country) {
        return Err(FieldError::new(
            "userConsent.userLocation.country",
            "must be an ISO 3166-1 alpha-3 country code",
        ));
    }
    if let Some(state) = &location.state {
        text::free_text("userConsent.userLocation.state", state, 100)?;
    }
    match &consent.consent {
        None if country == "USA" => {
            return Err(FieldError::new(
                "userConsent.consent",
                "is required when userLocation.country is USA",
            ))
        }
        None => {}
        Some(given) => {
            let obtained = given
                .obtained
                .as_deref()
                .ok_or_else(|| FieldError::new("userConsent.consent.obtained", "is required"))?;
            if !["yes", "no", "na"].contains(&obtained) {
                return Err(FieldError::new(
                    "userConsent.consent.obtained",
                    "must be yes, no or na",
                ));
            }
            match given.obtained_at.as_deref() {
                None if obtained == "yes" => {
                    return Err(FieldError::new(
                        "userConsent.consent.obtainedAt",
                        "is required when consent.obtained is yes",
                    ))
                }
                Some(at) if timestamp::parse(at).is_none() => {
                    return Err(FieldError::new(
                        "userConsent.consent.obtainedAt",
                        "must be a UTC timestamp as YYYY-MM-DDThh:mm:ss.SSSZ",
                    ))
                }
                _ => {}
            }
        }
    }
    serde_json::to_value(consent).map_err(|error| FieldError::new("userConsent", error.to_string()))
}

/// Combines the workflow's default credentials with the ones the request customises.
fn plan_credentials(
    key: WorkflowKey,
    templates: &[CredentialTemplate],
    requested: &[CredentialDefinitionRequest],
) -> Result<Vec<PlannedCredential>, FieldError> {
    let mut planned: Vec<PlannedCredential> = templates
        .iter()
        .map(|template| PlannedCredential {
            category: template.category,
            country: None,
            id_type: None,
            allowed_channels: template.channels.to_vec(),
            on_file: None,
        })
        .collect();
    let mut customised = vec![false; planned.len()];
    let mut documents = Vec::new();

    let requests = key.definition().credential_requests;
    if requests == CredentialRequests::ChooseTwoImages && !requested.is_empty() {
        return similarity_pair(key, requested);
    }
    let names_id_on_file = requests == CredentialRequests::NameIdOnFile;
    let no_id_on_file = || {
        format!(
            "only workflow {} takes the id of an ID credential already on file",
            keys(|definition| definition.credential_requests == CredentialRequests::NameIdOnFile)
        )
    };

    for (index, request) in requested.iter().enumerate() {
        let field = format!("workflowDefinition.credentials[{index}]");
        let category = request
            .category
            .as_deref()
            .ok_or_else(|| FieldError::new(format!("{field}.category"), "is required"))?
            .parse::<Category>()
            .map_err(|message| FieldError::new(format!("{field}.category"), message))?;
        if category == Category::Document {
            documents.push(PlannedCredential {
                category,
                country: preset_countries(&field, request.country.as_ref())?,
                id_type: None,
                allowed_channels: DOCUMENT_CHANNELS.to_vec(),
                on_file: None,
            });
            if request.r#type.is_some() {
                return Err(FieldError::new(
                    format!("{field}.type"),
                    "is not available for DOCUMENT",
                ));
            }
            if request.id.is_some() {
                return Err(FieldError::new(format!("{field}.id"), no_id_on_file()));
            }
            continue;
        }
        let slot = planned
            .iter()
            .zip(customised.iter())
            .position(|(credential, done)| credential.category == category && !done)
            .ok_or_else(|| {
                FieldError::new(
                    format!("{field}.category"),
                    format!("workflow {key} has no (further) {category} credential"),
                )
            })?;
        customised[slot] = true;
        let credential = &mut planned[slot];
        credential.country = match category {
            Category::Id => preset_countries(&field, request.country.as_ref())?,
            _ if request.country.is_some() => {
                return Err(FieldError::new(
                    format!("{field}.country"),
                    format!("is not available for {category}"),
                ))
            }
            _ => None,
        };
        credential.id_type = preset_types(&field, category, request.r#type.as_ref())?;
        match (&request.id, names_id_on_file, category) {
            (Some(id), true, Category::Id) => {
                credential.on_file = Some(id.parse::<Uuid>().map_err(|_| {
                    FieldError::new(format!("{field}.id"), "must be the UUID of a credential")
                })?);
            }
            (Some(_), _, _) => return Err(FieldError::new(format!("{field}.id"), no_id_on_file())),
            (None, _, _) => {}
        }
    }
    if names_id_on_file
        && planned
            .iter()
            .all(|credential| credential.on_file.is_none())
    {
        return Err(FieldError::new(
            "workflowDefinition.credentials",
            format!("workflow {key} needs {{\"id\": ..., \"category\": \"ID\"}}: the ID credential on file to compare the selfie with"),
        ));
    }
    if documents.len() > MAX_DOCUMENTS {
        return Err(FieldError::new(
            "workflowDefinition.credentials",
            format!("at most {MAX_DOCUMENTS} DOCUMENT credentials are allowed"),
        ));
    }
    planned.extend(documents);
    Ok(planned)
}

/// The two images a similarity workflow compares: ID + SELFIE, ID + ID or SELFIE + SELFIE.
fn similarity_pair(
    key: WorkflowKey,
    requested: &[CredentialDefinitionRequest],
) -> Result<Vec<PlannedCredential>, FieldError> {
    if requested.len() != 2 {
        return Err(FieldError::new(
            "workflowDefinition.credentials",
            format!("workflow {key} compares exactly two credentials (ID and SELFIE, two IDs, or two SELFIEs)"),
        ));
    }
    requested
        .iter()
        .enumerate()
        .map(|(index, request)| {
            let field = format!("workflowDefinition.credentials[{index}]");
            let category = match request.category.as_deref() {
                Some("ID") => Category::Id,
                Some("SELFIE") => Category::Selfie,
                _ => {
                    return Err(FieldError::new(
                        format!("{field}.category"),
                        format!("must be ID or SELFIE in workflow {key}"),
                    ))
                }
            };
            if request.id.is_some() {
                return Err(FieldError::new(
                    format!("{field}.id"),
                    format!("is not available in workflow {key}"),
                ));
            }
            Ok(PlannedCredential {
                category,
                country: match category {
                    Category::Id => preset_countries(&field, request.country.as_ref())?,
                    _ if request.country.is_some() => {
                        return Err(FieldError::new(
                            format!("{field}.country"),
                            format!("is not available for {category}"),
                        ))
                    }
                    _ => None,
                },
                id_type: preset_types(&field, category, request.r#type.as_ref())?,
                allowed_channels: SIMILARITY_CHANNELS.to_vec(),
                on_file: None,
            })
        })
        .collect()
}

fn predefined_type(field: &str, preset: &PresetRequest) -> Result<PredefinedType, FieldError> {
    match preset.predefined_type.as_deref() {
        None | Some("DEFINED") => Ok(PredefinedType::Defined),
        Some("RECOMMENDED") => Ok(PredefinedType::Recommended),
        Some(_) => Err(FieldError::new(
            format!("{field}.predefinedType"),
            "must be DEFINED or RECOMMENDED",
        )),
    }
}

fn preset_values(field: &str, preset: &PresetRequest) -> Result<Vec<String>, FieldError> {
    let values = preset
        .values
        .as_ref()
        .filter(|values| !values.is_empty())
        .ok_or_else(|| {
            FieldError::new(format!("{field}.values"), "must hold at least one value")
        })?;
    let mut unique = values.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != values.len() {
        return Err(FieldError::new(
            format!("{field}.values"),
            "must not repeat a value",
        ));
    }
    Ok(values.clone())
}

fn preset_countries(
    credential_field: &str,
    preset: Option<&PresetRequest>,
) -> Result<Option<Preset>, FieldError> {
    let Some(preset) = preset else {
        return Ok(None);
    };
    let field = format!("{credential_field}.country");
    let values = preset_values(&field, preset)?;
    if let Some(bad) = values.iter().find(|code| !catalogue::is_country(code)) {
        return Err(FieldError::new(
            format!("{field}.values"),
            format!("{bad:?} is not an ISO 3166-1 alpha-3 country code"),
        ));
    }
    Ok(Some(Preset {
        predefined_type: predefined_type(&field, preset)?,
        values,
    }))
}

fn preset_types(
    credential_field: &str,
    category: Category,
    preset: Option<&PresetRequest>,
) -> Result<Option<Preset>, FieldError> {
    let Some(preset) = preset else {
        return Ok(None);
    };
    let field = format!("{credential_field}.type");
    let values = preset_values(&field, preset)?;
    let bad = match category {
        Category::Id => values.iter().find(|value| value.parse::<IdType>().is_err()),
        Category::Facemap => values
            .iter()
            .find(|value| !FACEMAP_TYPES.contains(&value.as_str())),
        Category::Selfie | Category::Document => {
            return Err(FieldError::new(
                field,
                format!("is not available for {category}"),
            ))
        }
    };
    if let Some(bad) = bad {
        return Err(FieldError::new(
            format!("{field}.values"),
            format!("{bad:?} is not a {category} type"),
        ));
    }
    Ok(Some(Preset {
        predefined_type: predefined_type(&field, preset)?,
        values,
    }))
}
