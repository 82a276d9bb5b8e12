//! Callback signatures. Each tenant's signing secret is derived from the server's master key
//! (HMAC-SHA256 over the tenant id), so no callback secret is ever stored: the database alone
//! cannot forge callbacks, and the master key file alone names no tenant.
//!
//! Header: `X-Verifyd-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
//! Receivers recompute it over the raw body and reject stale timestamps (replays).

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

pub use crate::master_key::MasterKey;

pub const SIGNATURE_HEADER: &str = "X-Verifyd-Signature";

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail; an empty key is the fallback.
    Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as hmac::digest::KeyInit>::new(&Default::default()))
}

impl MasterKey {
    /// The tenant's callback signing secret.
    pub fn tenant_secret(&self, tenant: Uuid) -> String {
        let mut mac = mac(&self.bytes);
        mac.update(b"verifyd callback secret v1:");
        mac.update(tenant.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// The signature header's value for `body` sent at `timestamp` (unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = mac(secret.as_bytes());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}
