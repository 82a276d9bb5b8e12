//! API secrets: generated from the injected randomness, stored only as argon2id hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use verifyd_domain::random::{new_id, Random};

/// A fresh client id and secret.
pub fn generate(random: &dyn Random) -> (String, String) {
    let client_id = new_id(random).to_string();
    let mut secret = [0u8; 32];
    random.fill(&mut secret);
    (
        client_id,
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret),
    )
}

pub fn hash(secret: &str, random: &dyn Random) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    random.fill(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default()
        .hash_password(secret.as_bytes(), &salt)?
        .to_string())
}

pub fn verify(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}
