//! Validation of the Document Verification web client's settings in `POST .../acquisitions`:
//! the guide's request fields `successUrl`, `errorUrl`, `authorizationTokenLifetime`,
//! `baseColor` + `bgColor`, `headerImageUrl` and `locale`, each refusal naming its field.

use verifyd_types::document_verification::AcquisitionRequest;

use super::{url_rules, FieldError};
use crate::catalogue;
use crate::model::{ClientColors, DocumentWebSettings, MAX_TOKEN_LIFETIME_SECONDS};

/// The guide's spellings of its locales that differ from the web client's (`en_GB` for
/// `en-GB`); its table writes Vietnamese `vl`, which an integration copying it sends.
const GUIDE_SPELLINGS: [(&str, &str); 6] = [
    ("en_GB", "en-GB"),
    ("es_MX", "es-MX"),
    ("pt_BR", "pt-BR"),
    ("zh_CN", "zh-CN"),
    ("zh_HK", "zh-HK"),
    ("vl", "vi"),
];

pub fn validate(
    request: &AcquisitionRequest,
    allow_local_urls: bool,
) -> Result<DocumentWebSettings, FieldError> {
    let url = |field: &str, value: &Option<String>| {
        value
            .as_deref()
            .map(|value| url_rules::validate(field, value, 255, allow_local_urls))
            .transpose()
    };
    Ok(DocumentWebSettings {
        success_url: url("successUrl", &request.success_url)?,
        error_url: url("errorUrl", &request.error_url)?,
        token_lifetime_seconds: request
            .authorization_token_lifetime
            .as_ref()
            .map(lifetime)
            .transpose()?
            .flatten(),
        colors: colors(request.base_color.as_deref(), request.bg_color.as_deref())?,
        header_image_url: url("headerImageUrl", &request.header_image_url)?,
        locale: request.locale.as_deref().map(locale).transpose()?,
    })
}

/// Whole seconds, 1 to 60 days, as a number or a string holding one (the guide's sample sends
/// `"3600"`); null is the default.
fn lifetime(value: &serde_json::Value) -> Result<Option<u32>, FieldError> {
    const FIELD: &str = "authorizationTokenLifetime";
    let seconds = match value {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::Number(number) => number
            .as_u64()
            .and_then(|seconds| u32::try_from(seconds).ok()),
        serde_json::Value::String(text) => text.trim().parse::<u32>().ok(),
        _ => None,
    }
    .ok_or_else(|| FieldError::new(FIELD, "must be a whole number of seconds"))?;
    if !(1..=MAX_TOKEN_LIFETIME_SECONDS).contains(&seconds) {
        return Err(FieldError::new(
            FIELD,
            format!("must be 1 to {MAX_TOKEN_LIFETIME_SECONDS} seconds (60 days)"),
        ));
    }
    Ok(Some(seconds))
}

fn colors(
    base: Option<&str>,
    background: Option<&str>,
) -> Result<Option<ClientColors>, FieldError> {
    match (base, background) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(FieldError::new("bgColor", "must be passed with baseColor")),
        (None, Some(_)) => Err(FieldError::new("baseColor", "must be passed with bgColor")),
        (Some(base), Some(background)) => Ok(Some(ClientColors {
            base: hex_triplet("baseColor", base)?,
            background: hex_triplet("bgColor", background)?,
        })),
    }
}

fn hex_triplet(field: &str, value: &str) -> Result<String, FieldError> {
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(FieldError::new(
            field,
            "must be a hex triplet: six hexadecimal digits, without #",
        ))
    }
}

/// The web client's spelling of a supported locale.
fn locale(value: &str) -> Result<String, FieldError> {
    let spelled = GUIDE_SPELLINGS
        .iter()
        .find(|(guide, _)| *guide == value)
        .map_or(value, |(_, locale)| locale);
    if catalogue::is_locale(spelled) {
        Ok(spelled.to_owned())
    } else {
        Err(FieldError::new(
            "locale",
            format!("{value:?} is not a supported locale"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(body: serde_json::Value) -> Result<DocumentWebSettings, FieldError> {
        validate(&serde_json::from_value(body).unwrap_or_default(), false)
    }

    fn refused_field(body: serde_json::Value) -> String {
        match settings(body) {
            Err(error) => error.field,
            Ok(settings) => format!("accepted: {settings:?}"),
        }
    }

    #[test]
    fn the_guides_sample_settings_are_taken() {
        let taken = settings(serde_json::json!({
            "successUrl": "https://www.yourcompany.com/success",
            "errorUrl": "https://www.yourcompany.com/error",
            "authorizationTokenLifetime": "3600",
            "baseColor": "00FF00",
            "bgColor": "00ffff",
            "headerImageUrl": "https://www.yourcompany.com/logo.png",
            "locale": "en_GB",
        }));
        let expected = DocumentWebSettings {
            success_url: Some("https://www.yourcompany.com/success".to_owned()),
            error_url: Some("https://www.yourcompany.com/error".to_owned()),
            token_lifetime_seconds: Some(3600),
            colors: Some(ClientColors {
                base: "00FF00".to_owned(),
                background: "00FFFF".to_owned(),
            }),
            header_image_url: Some("https://www.yourcompany.com/logo.png".to_owned()),
            locale: Some("en-GB".to_owned()),
        };
        assert_eq!(taken, Ok(expected));
    }

    #[test]
    fn without_settings_the_link_lives_30_minutes() {
        let none = settings(serde_json::json!({})).unwrap_or_default();
        assert_eq!(none, DocumentWebSettings::default());
        assert_eq!(none.token_lifetime(), chrono::Duration::minutes(30));
        let null = settings(serde_json::json!({"authorizationTokenLifetime": null}));
        assert_eq!(null.map(|s| s.token_lifetime_seconds), Ok(None));
    }

    #[test]
    fn the_lifetime_is_1_second_to_60_days() {
        for (value, taken) in [
            (serde_json::json!(1), Some(1)),
            (serde_json::json!(5_184_000), Some(5_184_000)),
            (serde_json::json!(" 7200 "), Some(7200)),
            (serde_json::json!(0), None),
            (serde_json::json!(5_184_001), None),
            (serde_json::json!(-5), None),
            (serde_json::json!(90.5), None),
            (serde_json::json!("an hour"), None),
            (serde_json::json!(true), None),
        ] {
            let result = settings(serde_json::json!({"authorizationTokenLifetime": value}));
            match taken {
                Some(seconds) => assert_eq!(
                    result.map(|s| s.token_lifetime_seconds),
                    Ok(Some(seconds)),
                    "{value}"
                ),
                None => assert_eq!(
                    result.map_err(|e| e.field),
                    Err("authorizationTokenLifetime".to_owned()),
                    "{value}"
                ),
            }
        }
    }

    #[test]
    fn colors_come_together_as_hex_triplets() {
        assert_eq!(
            refused_field(serde_json::json!({"baseColor": "00FF00"})),
            "bgColor"
        );
        assert_eq!(
            refused_field(serde_json::json!({"bgColor": "00FF00"})),
            "baseColor"
        );
        assert_eq!(
            refused_field(serde_json::json!({"baseColor": "#00FF0", "bgColor": "FFFFFF"})),
            "baseColor"
        );
        assert_eq!(
            refused_field(serde_json::json!({"baseColor": "00FF00", "bgColor": "white"})),
            "bgColor"
        );
        assert_eq!(
            refused_field(serde_json::json!({"baseColor": "00FF00", "bgColor": "FFFFFFF"})),
            "bgColor"
        );
    }

    #[test]
    fn urls_follow_the_callback_url_rules() {
        for field in ["successUrl", "errorUrl", "headerImageUrl"] {
            for bad in [
                "http://example.com/done".to_owned(),
                "https://example.com/done#top".to_owned(),
                "https://10.0.0.1/done".to_owned(),
                format!("https://example.com/{}", "a".repeat(240)),
            ] {
                assert_eq!(
                    refused_field(serde_json::json!({field: bad})),
                    field,
                    "{bad}"
                );
            }
        }
    }

    #[test]
    fn locales_are_the_guides_in_either_spelling() {
        for (sent, kept) in [
            ("de", "de"),
            ("pt_BR", "pt-BR"),
            ("zh-HK", "zh-HK"),
            ("vl", "vi"),
        ] {
            assert_eq!(
                settings(serde_json::json!({"locale": sent})).map(|s| s.locale),
                Ok(Some(kept.to_owned()))
            );
        }
        for bad in ["xx", "en_US", "EN", "deutsch"] {
            assert_eq!(refused_field(serde_json::json!({"locale": bad})), "locale");
        }
    }
}
