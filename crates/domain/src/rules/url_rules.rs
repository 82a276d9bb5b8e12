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
    // The URL parser follows browsers, which take characters RFC 3986 does not (`{`, `"`, a
    // space or tab they drop, `\\` for `/`) and an explicit default port they then forget.
    if let Some(bad) = not_rfc3986(value) {
        return Err(FieldError::new(
            field,
            format!("is not a valid URL (RFC 3986): {bad}"),
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
            if !allow_local
                && (domain == "localhost" || !domain.contains('.') || !dns_labels(domain)) =>
        {
            return Err(FieldError::new(field, "must name a public domain"))
        }
        Some(_) => {}
    }
    if (url.port().is_some() || authority(value).contains(':')) && !allow_local {
        return Err(FieldError::new(field, "must not specify a port"));
    }
    Ok(value.to_owned())
}

/// The first character or escape RFC 3986 does not allow in a URL, if any. Brackets only
/// enclose an IP literal host, which the caller's host rule then judges.
fn not_rfc3986(value: &str) -> Option<String> {
    const ALLOWED: &str = "-._~:/?#[]@!$&'()*+,;=%";
    for (index, c) in value.char_indices() {
        if !(c.is_ascii_alphanumeric() || ALLOWED.contains(c)) {
            return Some(format!("{c:?}"));
        }
        if c == '%' {
            let escape = value.get(index + 1..index + 3).unwrap_or("");
            if escape.len() != 2 || !escape.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Some("a % not followed by two hexadecimal digits".to_owned());
            }
        }
        if (c == '[' || c == ']') && !authority(value).contains(c) {
            return Some(format!("{c:?} outside the host"));
        }
    }
    None
}

/// The authority of an absolute URL: what lies between `//` and the path, query or fragment.
fn authority(value: &str) -> &str {
    let rest = value.split_once("//").map_or("", |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or("")
}

/// A host name of DNS labels: letters, digits and hyphens, none empty, none starting or ending
/// with a hyphen (IDNA punycode labels are such labels too).
fn dns_labels(domain: &str) -> bool {
    domain.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_rules_refuse_what_the_portal_settings_forbid() {
        for good in [
            "https://example.com/callback?x=1",
            "HTTPS://Sub-1.Example.COM/a%20b/c;d=e?x=1&y=/?z",
            "https://xn--exmple-cua.com/",
        ] {
            assert!(validate("u", good, 255, false).is_ok(), "{good}");
        }
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
            "https://example.com*/cb",
            "https://exa_mple.com/cb",
            "https://example.com:443/cb",
            "https://example.com/{cb}",
            "https://example.com/c b",
            "https://example.com/%zz",
            "https://example.com/[cb]",
            "https://example..com/cb",
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
