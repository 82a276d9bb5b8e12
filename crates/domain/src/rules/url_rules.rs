//! URL rules for callback, success and error URLs (reference/portal-settings.md): HTTPS, valid per
//! RFC 3986 in ASCII, no fragment, no IP address and no port, at most `max` characters.
//! A development setting (`allow_local_urls`) admits plain HTTP, IP addresses and ports, so that
//! a receiver on this machine can be used in tests.

use url::{Host, Url};

use super::FieldError;

pub fn validate(
    field: &str,
    value: &str,
    max: usize,
    allow_local: bool,
) -> Result<String, FieldError> {
    if value.len() > max {
        return Err(FieldError::new(
            field,
            format!(
                "is {} characters long; at most {max} are allowed",
                value.len()
            ),
        ));
    }
    if !value.is_ascii() {
        return Err(FieldError::new(
            field,
            "must be ASCII (use IDNA punycode for international domain names)",
        ));
    }
    let url = Url::parse(value)
        .map_err(|error| FieldError::new(field, format!("is not a valid URL: {error}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_local => {}
        _ => return Err(FieldError::new(field, "must be an https URL")),
    }
    if url.fragment().is_some() {
        return Err(FieldError::new(field, "must not contain a fragment (#...)"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(field, "must not contain credentials"));
    }
    match url.host() {
        None => return Err(FieldError::new(field, "must name a host")),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) if !allow_local => {
            return Err(FieldError::new(
                field,
                "must name a domain, not an IP address",
            ))
        }
        Some(Host::Domain(domain))
            if !allow_local && (domain == "localhost" || !domain.contains('.')) =>
        {
            return Err(FieldError::new(field, "must name a public domain"))
        }
        Some(_) => {}
    }
    if url.port().is_some() && !allow_local {
        return Err(FieldError::new(field, "must not specify a port"));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_rules_refuse_what_the_portal_settings_forbid() {
        assert!(validate("u", "https://example.com/callback?x=1", 255, false).is_ok());
        for bad in [
            "http://example.com/cb",
            "https://example.com/cb#frag",
            "https://10.0.0.1/cb",
            "https://[::1]/cb",
            "https://localhost/cb",
            "https://example.com:8443/cb",
            "https://user:pw@example.com/cb",
            "ftp://example.com/cb",
            "not a url",
            "https://exämple.com/",
        ] {
            assert!(validate("u", bad, 255, false).is_err(), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(240));
        assert!(validate("u", &long, 255, false).is_err());
    }

    #[test]
    fn the_development_setting_admits_local_receivers() {
        assert!(validate("u", "http://127.0.0.1:9000/cb", 255, true).is_ok());
        assert!(validate("u", "http://127.0.0.1:9000/cb#x", 255, true).is_err());
    }
}
