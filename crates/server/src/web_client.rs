//! The hosted web clients: the ID capture page `web.href` and the v4 `redirectUrl` open, the
//! Document Verification page a `clientRedirectUrl` opens, and their files, all built into the
//! binary so that the journey needs nothing from the internet and runs under a strict
//! Content-Security-Policy.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "web/"]
struct Assets;

/// Nothing inline, nothing from elsewhere: scripts, styles and fetches from verifyd only;
/// camera frames as blob/mediastream. No frame-ancestors: customers embed the page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; \
connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'";

/// `GET /web/v4/app`: the journey. The token stays in the query string until the script moves
/// it into session storage; no-referrer keeps it from leaking meanwhile.
pub async fn app() -> Response {
    asset("index.html", "no-store")
}

/// The Document Verification web client's page (the `clientRedirectUrl`), under the same
/// policy; its files are this client's assets.
pub fn document_page() -> Response {
    asset("documents.html", "no-store")
}

/// `GET /web/v4/assets/{*path}`: the client's scripts, styles, images and translations.
/// Revalidated on every load: the modules import one another by unversioned names, and a
/// cached old module beside a new one would break the page after an upgrade.
pub async fn file(Path(path): Path<String>) -> Response {
    asset(&path, "no-cache")
}

fn asset(path: &str, cache: &'static str) -> Response {
    let Some(file) = Assets::get(path) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let mut response = file.data.into_owned().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type(path));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn content_type(path: &str) -> HeaderValue {
    let kind = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    HeaderValue::from_static(kind)
}

/// Every locale file, for the test that all of them translate every string.
#[cfg(test)]
fn locale_files() -> impl Iterator<Item = (String, Vec<u8>)> {
    Assets::iter().filter_map(|name| {
        let locale = name
            .strip_prefix("locales/")?
            .strip_suffix(".json")?
            .to_owned();
        Assets::get(&name).map(|file| (locale, file.data.into_owned()))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn strings(bytes: &[u8]) -> BTreeMap<String, String> {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    /// Every locale of the spec translates every English string, keeps its placeholders, and
    /// is not English in disguise.
    #[test]
    fn every_locale_of_the_spec_translates_every_string() {
        let files: BTreeMap<String, Vec<u8>> = locale_files().collect();
        let english = strings(&files["en"]);
        assert!(english.len() > 60);
        for locale in verifyd_domain::catalogue::LOCALES {
            let translated = strings(files.get(locale).map_or(&[][..], Vec::as_slice));
            assert_eq!(
                translated.keys().collect::<Vec<_>>(),
                english.keys().collect::<Vec<_>>(),
                "{locale}"
            );
            let mut same = 0;
            for (key, text) in &english {
                let other = &translated[key];
                assert!(!other.trim().is_empty(), "{locale} {key}");
                for placeholder in ["{n}", "{total}", "{code}"] {
                    assert_eq!(
                        text.contains(placeholder),
                        other.contains(placeholder),
                        "{locale} {key}"
                    );
                }
                same += usize::from(text == other);
            }
            if !locale.starts_with("en") {
                assert!(same <= 2, "{locale}: {same} strings left in English");
            }
        }
        assert_eq!(files.len(), verifyd_domain::catalogue::LOCALES.len());
    }

    #[test]
    fn the_page_and_its_files_are_served_with_the_policy_and_their_types() {
        let page = asset("index.html", "no-store");
        assert_eq!(page.status(), StatusCode::OK);
        let header = |name| page.headers().get(name).and_then(|v| v.to_str().ok());
        assert_eq!(
            header(header::CONTENT_SECURITY_POLICY),
            Some(CONTENT_SECURITY_POLICY)
        );
        assert_eq!(
            header(header::CONTENT_TYPE),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(header(header::REFERRER_POLICY), Some("no-referrer"));
        let script = asset("app.js", "no-cache");
        assert_eq!(
            script
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok()),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(
            asset("../Cargo.toml", "no-store").status(),
            StatusCode::NOT_FOUND
        );
    }
}
