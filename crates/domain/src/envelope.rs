//! Envelope encryption of personal data: every account (and every Document Verification
//! transaction, which has no account) gets its own random data key, and everything personal of
//! it (its images, facemaps and frames, its extraction, face template and screening reports) is
//! stored sealed under that key. The data key itself is stored only sealed ("wrapped") under the
//! installation's key-encryption key, which comes from configuration, never from the database.
//!
//! Deleting the data key is what makes an account's data unreadable everywhere at once: the
//! database's old pages, its log, dead rows and the blob store's copies keep only ciphertext
//! whose key is gone (crypto-shredding).
//!
//! Formats (part of the stored data; never changed, only versioned):
//! - a wrapped data key: the byte `0x01`, a 12-byte nonce, the ChaCha20-Poly1305 sealing of the
//!   32-byte key (48 bytes): 61 bytes; associated data "data key " and the owner's id, so that a
//!   wrapped key copied to another owner's row does not open there;
//! - sealed bytes (blobs): the magic `\0VS1`, a 12-byte nonce, the sealing; associated data the
//!   value's context (the blob's key), so that sealed bytes moved to another place do not open;
//! - sealed text (columns): `sealed:1:` and the standard base64 of nonce and sealing, with the
//!   column and row as context. Text stored before sealing (JSON) never starts so, and is read
//!   as it is.

use std::sync::Arc;

use base64::Engine;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use hmac::Mac;
use uuid::Uuid;

use crate::keyring::{hmac_sha256, Keyring, WrappingKey};
use crate::random::Random;

const KEY_LENGTH: usize = 32;
const NONCE_LENGTH: usize = 12;
const TAG_LENGTH: usize = 16;
const WRAPPED_VERSION_1: u8 = 1;
const WRAPPED_LENGTH: usize = 1 + NONCE_LENGTH + KEY_LENGTH + TAG_LENGTH;
const BYTES_MAGIC: &[u8; 4] = b"\0VS1";
const TEXT_PREFIX: &str = "sealed:1:";

/// One owner's data key, opened. Never stored as it is.
#[derive(Clone)]
pub struct DataKey([u8; KEY_LENGTH]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// Sealed, but not under this key: another key-encryption key than the one the data was
    /// sealed with, or an altered value.
    #[error("{what} does not open with this installation's key")]
    WrongKey { what: String },
    #[error("{what} is not in a sealed format")]
    Malformed { what: String },
    #[error("{what} could not be sealed")]
    Seal { what: String },
}

/// Seals and opens with the installation's key-encryption key and the owners' data keys.
#[derive(Clone)]
pub struct Envelope {
    wrapping: WrappingKey,
    key_id: String,
    random: Arc<dyn Random>,
}

impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Envelope(key {})", self.key_id)
    }
}

fn cipher(key: &[u8; KEY_LENGTH]) -> ChaCha20Poly1305 {
    ChaCha20Poly1305::new(Key::from_slice(key))
}

impl Envelope {
    pub fn new(keyring: &Keyring, random: Arc<dyn Random>) -> Self {
        let wrapping = keyring.wrapping().clone();
        let mut mac = hmac_sha256(&wrapping.0);
        mac.update(b"verifyd key id v1");
        let digest = mac.finalize().into_bytes();
        let key_id = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Self {
            wrapping,
            key_id,
            random,
        }
    }

    /// Names the key-encryption key without revealing it: stored beside each wrapped data key,
    /// so that a rotation knows which key wrapped which.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    fn nonce(&self) -> [u8; NONCE_LENGTH] {
        let mut nonce = [0u8; NONCE_LENGTH];
        self.random.fill(&mut nonce);
        nonce
    }

    fn seal_raw(
        &self,
        key: &[u8; KEY_LENGTH],
        aad: &[u8],
        plain: &[u8],
        what: &str,
    ) -> Result<([u8; NONCE_LENGTH], Vec<u8>), EnvelopeError> {
        let nonce = self.nonce();
        let sealed = cipher(key)
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad })
            .map_err(|_| EnvelopeError::Seal {
                what: what.to_owned(),
            })?;
        Ok((nonce, sealed))
    }

    fn open_raw(
        key: &[u8; KEY_LENGTH],
        aad: &[u8],
        nonce_and_sealed: &[u8],
        what: &str,
    ) -> Result<Vec<u8>, EnvelopeError> {
        if nonce_and_sealed.len() < NONCE_LENGTH + TAG_LENGTH {
            return Err(EnvelopeError::Malformed {
                what: what.to_owned(),
            });
        }
        let (nonce, sealed) = nonce_and_sealed.split_at(NONCE_LENGTH);
        cipher(key)
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad })
            .map_err(|_| EnvelopeError::WrongKey {
                what: what.to_owned(),
            })
    }

    /// A new random data key for `owner`, wrapped: what the database stores.
    pub fn new_data_key(&self, owner: Uuid) -> Result<Vec<u8>, EnvelopeError> {
        let mut key = [0u8; KEY_LENGTH];
        self.random.fill(&mut key);
        let aad = format!("data key {owner}");
        let (nonce, sealed) = self.seal_raw(&self.wrapping.0, aad.as_bytes(), &key, &aad)?;
        let mut wrapped = Vec::with_capacity(WRAPPED_LENGTH);
        wrapped.push(WRAPPED_VERSION_1);
        wrapped.extend_from_slice(&nonce);
        wrapped.extend_from_slice(&sealed);
        Ok(wrapped)
    }

    /// Opens `owner`'s wrapped data key.
    pub fn unwrap_key(&self, owner: Uuid, wrapped: &[u8]) -> Result<DataKey, EnvelopeError> {
        let aad = format!("data key {owner}");
        match wrapped.split_first() {
            Some((&WRAPPED_VERSION_1, rest)) if wrapped.len() == WRAPPED_LENGTH => {
                let key = Self::open_raw(&self.wrapping.0, aad.as_bytes(), rest, &aad)?;
                <[u8; KEY_LENGTH]>::try_from(key.as_slice())
                    .map(DataKey)
                    .map_err(|_| EnvelopeError::Malformed { what: aad })
            }
            _ => Err(EnvelopeError::Malformed { what: aad }),
        }
    }

    /// True when `stored` is sealed bytes (a blob stored before sealing is not).
    pub fn is_sealed(stored: &[u8]) -> bool {
        stored.starts_with(BYTES_MAGIC)
    }

    /// `plain` sealed under `key` for `context` (where it is stored).
    pub fn seal(
        &self,
        key: &DataKey,
        context: &str,
        plain: &[u8],
    ) -> Result<Vec<u8>, EnvelopeError> {
        let (nonce, sealed) = self.seal_raw(&key.0, context.as_bytes(), plain, context)?;
        let mut stored = Vec::with_capacity(BYTES_MAGIC.len() + NONCE_LENGTH + sealed.len());
        stored.extend_from_slice(BYTES_MAGIC);
        stored.extend_from_slice(&nonce);
        stored.extend_from_slice(&sealed);
        Ok(stored)
    }

    /// Opens what `seal` made for `context`.
    pub fn open(
        &self,
        key: &DataKey,
        context: &str,
        stored: &[u8],
    ) -> Result<Vec<u8>, EnvelopeError> {
        let rest = stored.strip_prefix(BYTES_MAGIC.as_slice()).ok_or_else(|| {
            EnvelopeError::Malformed {
                what: context.to_owned(),
            }
        })?;
        Self::open_raw(&key.0, context.as_bytes(), rest, context)
    }

    /// True when `stored` is sealed text (a value stored before sealing is not).
    pub fn is_sealed_text(stored: &str) -> bool {
        stored.starts_with(TEXT_PREFIX)
    }

    /// `plain` sealed under `key` for `context`, as text a TEXT column holds.
    pub fn seal_text(
        &self,
        key: &DataKey,
        context: &str,
        plain: &str,
    ) -> Result<String, EnvelopeError> {
        let (nonce, sealed) =
            self.seal_raw(&key.0, context.as_bytes(), plain.as_bytes(), context)?;
        let mut bytes = Vec::with_capacity(NONCE_LENGTH + sealed.len());
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        Ok(format!(
            "{TEXT_PREFIX}{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }

    /// Opens what `seal_text` made for `context`.
    pub fn open_text(
        &self,
        key: &DataKey,
        context: &str,
        stored: &str,
    ) -> Result<String, EnvelopeError> {
        let malformed = || EnvelopeError::Malformed {
            what: context.to_owned(),
        };
        let encoded = stored.strip_prefix(TEXT_PREFIX).ok_or_else(malformed)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| malformed())?;
        let plain = Self::open_raw(&key.0, context.as_bytes(), &bytes, context)?;
        String::from_utf8(plain).map_err(|_| malformed())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU8, Ordering};

    use super::*;

    struct Counting(AtomicU8);

    impl Random for Counting {
        fn fill(&self, buf: &mut [u8]) {
            for byte in buf {
                *byte = self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn envelope(master: u8) -> Envelope {
        Envelope::new(
            &Keyring::derive(&[master; 32]),
            Arc::new(Counting(AtomicU8::new(master))),
        )
    }

    const OWNER: Uuid = Uuid::from_u128(7);
    const OTHER: Uuid = Uuid::from_u128(8);

    #[test]
    fn a_data_key_opens_only_for_its_owner_under_its_key_encryption_key(
    ) -> Result<(), EnvelopeError> {
        let installation = envelope(1);
        let wrapped = installation.new_data_key(OWNER)?;
        assert_eq!(wrapped.len(), WRAPPED_LENGTH);
        let key = installation.unwrap_key(OWNER, &wrapped)?;
        let sealed = installation.seal(&key, "blob", b"passport")?;
        let reopened = installation.unwrap_key(OWNER, &wrapped)?;
        assert_eq!(installation.open(&reopened, "blob", &sealed)?, b"passport");
        assert!(matches!(
            installation.unwrap_key(OTHER, &wrapped),
            Err(EnvelopeError::WrongKey { .. })
        ));
        assert!(matches!(
            envelope(2).unwrap_key(OWNER, &wrapped),
            Err(EnvelopeError::WrongKey { .. })
        ));
        assert_ne!(installation.key_id(), envelope(2).key_id());
        assert_eq!(installation.key_id().len(), 16);
        Ok(())
    }

    #[test]
    fn sealed_bytes_hide_the_value_and_open_only_in_their_context() -> Result<(), EnvelopeError> {
        let installation = envelope(1);
        let key = installation.unwrap_key(OWNER, &installation.new_data_key(OWNER)?)?;
        let plain = b"P<UTOERIKSSON<<ANNA<MARIA";
        let sealed = installation.seal(&key, "tenants/a/b", plain)?;
        assert!(Envelope::is_sealed(&sealed));
        assert!(!Envelope::is_sealed(b"\xff\xd8\xff\xe0 a JPEG"));
        assert!(!sealed.windows(8).any(|window| window == &plain[..8]));
        assert!(matches!(
            installation.open(&key, "tenants/a/c", &sealed),
            Err(EnvelopeError::WrongKey { .. })
        ));
        let other = installation.unwrap_key(OTHER, &installation.new_data_key(OTHER)?)?;
        assert!(matches!(
            installation.open(&other, "tenants/a/b", &sealed),
            Err(EnvelopeError::WrongKey { .. })
        ));
        assert!(matches!(
            installation.open(&key, "tenants/a/b", b"\xff\xd8"),
            Err(EnvelopeError::Malformed { .. })
        ));
        Ok(())
    }

    #[test]
    fn sealed_text_is_told_from_json_and_round_trips() -> Result<(), EnvelopeError> {
        let installation = envelope(3);
        let key = installation.unwrap_key(OWNER, &installation.new_data_key(OWNER)?)?;
        let json = r#"{"firstName":"ANNA","lastName":"ERIKSSON"}"#;
        let sealed = installation.seal_text(&key, "outcome/1", json)?;
        assert!(Envelope::is_sealed_text(&sealed));
        assert!(!Envelope::is_sealed_text(json));
        assert!(!sealed.contains("ERIKSSON"));
        assert_eq!(installation.open_text(&key, "outcome/1", &sealed)?, json);
        assert!(installation.open_text(&key, "outcome/2", &sealed).is_err());
        let again = installation.seal_text(&key, "outcome/1", json)?;
        assert_ne!(sealed, again, "a fresh nonce each time");
        Ok(())
    }
}
