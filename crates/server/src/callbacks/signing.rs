//! Callback signatures. Each tenant's signing secret is derived from the server's master key
//! (HMAC-SHA256 over the tenant id), so no callback secret is ever stored: the database alone
//! cannot forge callbacks, and the master key file alone names no tenant.
//!
//! Header: `X-Verifyd-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
//! Receivers recompute it over the raw body and reject stale timestamps (replays).

use std::io::Write;
use std::path::Path;

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;
use verifyd_domain::random::Random;

pub const SIGNATURE_HEADER: &str = "X-Verifyd-Signature";

#[derive(Clone)]
pub struct MasterKey([u8; 32]);

#[derive(Debug, thiserror::Error)]
#[error("master key {path}: {reason}")]
pub struct MasterKeyError {
    path: String,
    reason: String,
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length, so this cannot fail; an empty key is the fallback.
    Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as hmac::digest::KeyInit>::new(&Default::default()))
}

impl MasterKey {
    /// Reads the key file, creating it (mode 0600) with 32 random bytes on first use.
    pub fn load_or_create(path: &Path, random: &dyn Random) -> Result<Self, MasterKeyError> {
        let failed = |reason: String| MasterKeyError {
            path: path.display().to_string(),
            reason,
        };
        match std::fs::read(path) {
            Ok(bytes) => <[u8; 32]>::try_from(bytes.as_slice())
                .map(MasterKey)
                .map_err(|_| failed(format!("must hold exactly 32 bytes, holds {}", bytes.len()))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut key = [0u8; 32];
                random.fill(&mut key);
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                match options.open(path) {
                    Ok(mut file) => {
                        file.write_all(&key).map_err(|e| failed(e.to_string()))?;
                        Ok(MasterKey(key))
                    }
                    // Another process created it first: use theirs.
                    Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                        Self::load_or_create(path, random)
                    }
                    Err(error) => Err(failed(error.to_string())),
                }
            }
            Err(error) => Err(failed(error.to_string())),
        }
    }

    /// The tenant's callback signing secret.
    pub fn tenant_secret(&self, tenant: Uuid) -> String {
        let mut mac = mac(&self.0);
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
