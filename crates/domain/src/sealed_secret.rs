//! Server secrets as the database keeps them: sealed under the keyring's sealing key, so that
//! reading `verifyd.db` gives neither the token-signing key (which mints tokens for any tenant)
//! nor the facemap key.
//!
//! Format v1: the byte `0x01`, a 12-byte random nonce, then the ChaCha20-Poly1305 sealing of the
//! 32-byte secret (48 bytes with its tag): 61 bytes. The secret's name is the associated data, so
//! a sealed value copied into another secret's row does not open there. The leading version byte
//! leaves room for another cipher or key later. Installations from before sealing stored the 32
//! bytes themselves; such a value opens as `Opened::Clear`, for the caller to seal in place.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};

use crate::keyring::SealingKey;
use crate::random::Random;

/// A server secret's length, in bytes.
pub const SECRET_LENGTH: usize = 32;
const VERSION_1: u8 = 1;
const NONCE_LENGTH: usize = 12;
const TAG_LENGTH: usize = 16;
const SEALED_V1_LENGTH: usize = 1 + NONCE_LENGTH + SECRET_LENGTH + TAG_LENGTH;

/// A stored server secret, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// It was sealed under this key.
    Sealed([u8; SECRET_LENGTH]),
    /// It was stored in clear (before sealing existed) and must be sealed in place.
    Clear([u8; SECRET_LENGTH]),
}

impl Opened {
    pub fn secret(&self) -> [u8; SECRET_LENGTH] {
        match self {
            Opened::Sealed(secret) | Opened::Clear(secret) => *secret,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// Sealed, but not under this key: the installation runs with another master key than the
    /// one its database was sealed with, or the stored value was altered.
    #[error("the server secret {name} does not open with this master key")]
    WrongKey { name: String },
    #[error("the server secret {name} is neither sealed nor a {SECRET_LENGTH}-byte key ({length} bytes)")]
    Malformed { name: String, length: usize },
    #[error("the server secret {name} could not be sealed")]
    Seal { name: String },
}

fn cipher(key: &SealingKey) -> ChaCha20Poly1305 {
    ChaCha20Poly1305::new(Key::from_slice(&key.0))
}

impl SealingKey {
    /// `secret` sealed for the row `name`, with a fresh nonce from `random`.
    pub fn seal(
        &self,
        name: &str,
        secret: &[u8; SECRET_LENGTH],
        random: &dyn Random,
    ) -> Result<Vec<u8>, SealError> {
        let mut nonce = [0u8; NONCE_LENGTH];
        random.fill(&mut nonce);
        let sealed = cipher(self)
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| SealError::Seal {
                name: name.to_owned(),
            })?;
        let mut stored = Vec::with_capacity(SEALED_V1_LENGTH);
        stored.push(VERSION_1);
        stored.extend_from_slice(&nonce);
        stored.extend_from_slice(&sealed);
        Ok(stored)
    }

    /// Opens the value stored for `name`, sealed (v1) or, from before sealing, in clear.
    pub fn open(&self, name: &str, stored: &[u8]) -> Result<Opened, SealError> {
        if let Ok(clear) = <[u8; SECRET_LENGTH]>::try_from(stored) {
            return Ok(Opened::Clear(clear));
        }
        let malformed = || SealError::Malformed {
            name: name.to_owned(),
            length: stored.len(),
        };
        let (version, rest) = stored.split_first().ok_or_else(malformed)?;
        if *version != VERSION_1 || stored.len() != SEALED_V1_LENGTH {
            return Err(malformed());
        }
        let (nonce, sealed) = rest.split_at(NONCE_LENGTH);
        let secret = cipher(self)
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| SealError::WrongKey {
                name: name.to_owned(),
            })?;
        <[u8; SECRET_LENGTH]>::try_from(secret.as_slice())
            .map(Opened::Sealed)
            .map_err(|_| malformed())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU8, Ordering};

    use super::*;
    use crate::keyring::Keyring;

    /// Different bytes on every call, so that two sealings get two nonces.
    struct Counting(AtomicU8);

    impl Random for Counting {
        fn fill(&self, buf: &mut [u8]) {
            let next = self.0.fetch_add(1, Ordering::Relaxed);
            buf.fill(next);
        }
    }

    fn key(master: u8) -> SealingKey {
        Keyring::derive(&[master; 32]).sealing().clone()
    }

    const SECRET: [u8; 32] = [42; 32];

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_name() -> Result<(), SealError> {
        let random = Counting(AtomicU8::new(1));
        let sealed = key(1).seal("token-signing-key", &SECRET, &random)?;
        assert_eq!(sealed.len(), SEALED_V1_LENGTH);
        assert_eq!(sealed[0], VERSION_1, "versioned");
        assert!(
            !sealed.windows(SECRET.len()).any(|window| window == SECRET),
            "the secret is not in the stored value"
        );
        assert_eq!(
            key(1).open("token-signing-key", &sealed)?,
            Opened::Sealed(SECRET)
        );
        let again = key(1).seal("token-signing-key", &SECRET, &random)?;
        assert_ne!(sealed, again, "a fresh nonce each time");
        Ok(())
    }

    #[test]
    fn another_key_or_another_name_does_not_open_it() -> Result<(), SealError> {
        let sealed = key(1).seal("token-signing-key", &SECRET, &Counting(AtomicU8::new(1)))?;
        let wrong_key = SealError::WrongKey {
            name: "token-signing-key".to_owned(),
        };
        assert_eq!(key(2).open("token-signing-key", &sealed), Err(wrong_key));
        assert!(matches!(
            key(1).open("facemap-sealing-key", &sealed),
            Err(SealError::WrongKey { .. })
        ));
        let mut altered = sealed.clone();
        if let Some(last) = altered.last_mut() {
            *last ^= 1;
        }
        assert!(matches!(
            key(1).open("token-signing-key", &altered),
            Err(SealError::WrongKey { .. })
        ));
        Ok(())
    }

    #[test]
    fn a_clear_secret_from_before_sealing_is_recognised() {
        assert_eq!(key(1).open("any", &SECRET), Ok(Opened::Clear(SECRET)));
    }

    #[test]
    fn anything_else_is_malformed() {
        for stored in [
            &[][..],
            &[1; 31][..],
            &[1; 33][..],
            &[2; SEALED_V1_LENGTH][..],
        ] {
            assert!(
                matches!(key(1).open("any", stored), Err(SealError::Malformed { .. })),
                "{} bytes",
                stored.len()
            );
        }
    }
}
