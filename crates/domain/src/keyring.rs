//! The installation's keys, derived from its master key (the key-encryption key).
//!
//! The master key never lives in the database it protects: it comes from configuration or from
//! a file beside the data (mode 0600), so that a copy of `verifyd.db` alone can neither open the
//! server's secrets nor recompute a lookup hash. Each use gets its own key, HMAC-SHA256 of the
//! master key over a fixed label, so that no key serves two purposes: knowing a lookup key does
//! not open a sealed secret, and the reverse. The labels are part of the stored data's format:
//! changing one makes every sealed secret and every fingerprint of an installation unusable.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Labels of the purpose keys; the callback secrets' derivation (in the server) has its own.
const SEALING_LABEL: &[u8] = b"verifyd server secret sealing v1";
const LOOKUP_LABEL: &[u8] = b"verifyd lookup hash v1";
const WRAPPING_LABEL: &[u8] = b"verifyd data key wrapping v1";

/// The key that seals the server's secrets (token signing, facemap sealing) in the database.
#[derive(Clone)]
pub struct SealingKey(pub(crate) [u8; 32]);

/// The key of lookup hashes: values the database must find again (a document presented twice)
/// without holding them, keyed so that guessing a value needs this key, not just the database.
#[derive(Clone)]
pub struct LookupKey(pub(crate) [u8; 32]);

/// The key-encryption key: it seals each account's data key (see `envelope`), so that the
/// database holds every data key only sealed.
#[derive(Clone)]
pub struct WrappingKey(pub(crate) [u8; 32]);

/// The purpose keys of one installation.
#[derive(Clone)]
pub struct Keyring {
    sealing: SealingKey,
    lookup: LookupKey,
    wrapping: WrappingKey,
}

/// HMAC-SHA256 keyed with `key`. HMAC accepts keys of any length, so the fallback (an empty
/// key) is never taken; it exists because library code may not panic.
pub(crate) fn hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<Sha256> as hmac::digest::KeyInit>::new(&Default::default()))
}

fn derive(master: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = hmac_sha256(master);
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl Keyring {
    /// The purpose keys of the installation whose master key is `master`.
    pub fn derive(master: &[u8; 32]) -> Self {
        Self {
            sealing: SealingKey(derive(master, SEALING_LABEL)),
            lookup: LookupKey(derive(master, LOOKUP_LABEL)),
            wrapping: WrappingKey(derive(master, WRAPPING_LABEL)),
        }
    }

    pub fn sealing(&self) -> &SealingKey {
        &self.sealing
    }

    pub fn lookup(&self) -> &LookupKey {
        &self.lookup
    }

    pub fn wrapping(&self) -> &WrappingKey {
        &self.wrapping
    }
}

/// Keys never reach a log by way of `{:?}`.
impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyring(..)")
    }
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(..)")
    }
}

impl std::fmt::Debug for WrappingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WrappingKey(..)")
    }
}

impl std::fmt::Debug for LookupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LookupKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    #[test]
    fn purpose_keys_are_hmac_sha256_of_the_master_key_over_their_label() {
        // Computed independently (Python: hmac.new(bytes(range(32)), label, "sha256")): the
        // derivation is part of the stored format and must never change by accident.
        let master: [u8; 32] = std::array::from_fn(|i| i as u8);
        let keyring = Keyring::derive(&master);
        assert_eq!(hex(&keyring.sealing().0), SEALING_VECTOR);
        assert_eq!(hex(&keyring.lookup().0), LOOKUP_VECTOR);
        assert_eq!(hex(&keyring.wrapping().0), WRAPPING_VECTOR);
    }

    #[test]
    fn each_purpose_and_each_master_key_gives_its_own_key() {
        let one = Keyring::derive(&[1; 32]);
        let other = Keyring::derive(&[2; 32]);
        assert_ne!(one.sealing().0, one.lookup().0);
        assert_ne!(one.wrapping().0, one.sealing().0);
        assert_ne!(one.wrapping().0, one.lookup().0);
        assert_ne!(one.sealing().0, other.sealing().0);
        assert_ne!(one.lookup().0, other.lookup().0);
        assert_eq!(one.lookup().0, Keyring::derive(&[1; 32]).lookup().0);
    }

    #[test]
    fn keys_are_not_printed() {
        let keyring = Keyring::derive(&[7; 32]);
        assert_eq!(format!("{keyring:?}"), "Keyring(..)");
    }

    const SEALING_VECTOR: &str = "e77cea9a44ed4612f2e4fa4f7b12c12bc9dd813cfee05d302f5f7dc36b3cbd3d";
    const WRAPPING_VECTOR: &str =
        "bbc7e8411893f996c36aa52ba3534c591d5c53eb0854c784677f2da69a4d0de1";
    const LOOKUP_VECTOR: &str = "075b720d882c13189b05e18785ef2cdb15a6469117655bb97df3c8bf4ccc9e74";
}
