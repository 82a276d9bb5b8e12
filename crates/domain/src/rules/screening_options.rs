//! The options a request gives its watchlist screening: KYX's
//! `capabilities.watchlistScreening.additionalProperties` (a string the guide leaves open) and
//! netverify's `additionalChecks.watchlistScreening` (`searchProfile`). An execution keeps them
//! as sent; the screening step reads them, so options it cannot read are that step's
//! `VALIDATION_FAILED` rather than a refused account.

use serde_json::Value;

/// The longest profile name; a tenant's profile names are held to the same.
pub const MAX_PROFILE_NAME: usize = 100;

/// What a request may choose about its search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScreeningOptions {
    /// One of the tenant's named search profiles; none for the tenant's default profile.
    pub search_profile: Option<String>,
}

/// Reads `raw`: empty for the defaults, a JSON object `{"searchProfile": "NAME"}`, or the bare
/// name of a profile (what an integration that passes the profile alone sends). The error says
/// what is wrong, for the step's result.
pub fn parse(raw: &str) -> Result<ScreeningOptions, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(ScreeningOptions::default());
    }
    if raw.starts_with('{') {
        let object: serde_json::Map<String, Value> = serde_json::from_str(raw)
            .map_err(|error| format!("additionalProperties is not a JSON object: {error}"))?;
        let mut options = ScreeningOptions::default();
        for (key, value) in object {
            match (key.as_str(), value) {
                ("searchProfile", Value::String(name)) => {
                    options.search_profile = Some(profile_name(&name)?);
                }
                ("searchProfile", _) => return Err("searchProfile must be a string".to_owned()),
                (other, _) => {
                    return Err(format!(
                        "additionalProperties has no option {other:?} (searchProfile is the one there is)"
                    ))
                }
            }
        }
        return Ok(options);
    }
    Ok(ScreeningOptions {
        search_profile: Some(profile_name(raw)?),
    })
}

/// The options netverify's `additionalChecks.watchlistScreening` gives, as an execution keeps
/// them.
pub fn stored(options: &ScreeningOptions) -> String {
    match &options.search_profile {
        Some(name) => serde_json::json!({ "searchProfile": name }).to_string(),
        None => String::new(),
    }
}

/// A profile name: letters, digits, `-`, `_` and `.`, as the operator names profiles.
pub fn profile_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    let fine = !name.is_empty()
        && name.len() <= MAX_PROFILE_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if fine {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "{:?} is no search profile name: up to {MAX_PROFILE_NAME} letters, digits, '-', '_' or '.'",
            name.chars().take(40).collect::<String>()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(raw: &str) -> Result<Option<String>, String> {
        parse(raw).map(|options| options.search_profile)
    }

    #[test]
    fn options_are_a_json_object_a_bare_profile_name_or_nothing() {
        assert_eq!(profile(""), Ok(None));
        assert_eq!(profile("  "), Ok(None));
        assert_eq!(profile("{}"), Ok(None));
        assert_eq!(
            profile(r#"{"searchProfile": "sanctions-only"}"#),
            Ok(Some("sanctions-only".to_owned()))
        );
        assert_eq!(
            profile("sanctions-only"),
            Ok(Some("sanctions-only".to_owned()))
        );
        for bad in [
            "{not json",
            r#"{"searchProfile": 3}"#,
            r#"{"fuzziness": 0.5}"#,
            "sanctions only",
            r#"{"searchProfile": ""}"#,
        ] {
            assert!(profile(bad).is_err(), "{bad}");
        }
        let stored_back = parse(&stored(&ScreeningOptions {
            search_profile: Some("pep".to_owned()),
        }));
        assert_eq!(
            stored_back.map(|o| o.search_profile),
            Ok(Some("pep".to_owned()))
        );
    }
}
