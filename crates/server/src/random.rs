//! The operating system's randomness, for identifiers, secrets and signing keys.

use rand::RngCore;
use verifyd_domain::random::Random;

#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl Random for OsRandom {
    #[allow(
        clippy::disallowed_types,
        reason = "the Random port's one implementation on the operating system's randomness"
    )]
    fn fill(&self, buf: &mut [u8]) {
        rand::rngs::OsRng.fill_bytes(buf);
    }
}
