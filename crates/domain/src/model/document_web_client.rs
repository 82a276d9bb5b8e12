//! The Document Verification web client's side of a transaction: the settings the initiation
//! gave it (where to send the user afterwards, colors, language) and the link's token, which
//! is kept only as a hash so that a copy of the database opens no upload page.

use chrono::{DateTime, Duration, Utc};

/// The guide's default life of a `clientRedirectUrl`: 30 minutes.
pub const DEFAULT_TOKEN_LIFETIME_SECONDS: u32 = 1800;

/// The guide's longest life of a `clientRedirectUrl`: 60 days.
pub const MAX_TOKEN_LIFETIME_SECONDS: u32 = 5_184_000;

/// The web client's settings, as validated (`rules::document_web_client`). Every one is
/// optional: an API integration sets none of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentWebSettings {
    pub success_url: Option<String>,
    pub error_url: Option<String>,
    /// `authorizationTokenLifetime` in seconds, as sent; None applies the default.
    pub token_lifetime_seconds: Option<u32>,
    pub colors: Option<ClientColors>,
    /// Validated and kept, never shown: the page's Content-Security-Policy loads images from
    /// verifyd only (docs/netverify.md says so).
    pub header_image_url: Option<String>,
    /// One of `catalogue::LOCALES`.
    pub locale: Option<String>,
}

impl DocumentWebSettings {
    /// How long the link stays valid.
    pub fn token_lifetime(&self) -> Duration {
        Duration::seconds(i64::from(
            self.token_lifetime_seconds
                .unwrap_or(DEFAULT_TOKEN_LIFETIME_SECONDS),
        ))
    }
}

/// `baseColor` and `bgColor`, which the guide only takes together: six hexadecimal digits
/// each, upper case, without `#`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientColors {
    pub base: String,
    pub background: String,
}

/// The link's token: the SHA-256 of the token (hexadecimal) and when it stops opening the
/// transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiationToken {
    pub hash: String,
    pub expires_at: DateTime<Utc>,
}

impl InitiationToken {
    pub fn is_valid(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}
