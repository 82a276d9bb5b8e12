//! Randomness is injected so that identifiers and secrets come from one audited source, and tests
//! can make them reproducible.

use uuid::Uuid;

pub trait Random: Send + Sync {
    /// Fills `buf` with cryptographically secure random bytes.
    fn fill(&self, buf: &mut [u8]);
}

/// A random (version 4) UUID drawn from `random`.
pub fn new_id(random: &dyn Random) -> Uuid {
    let mut bytes = [0u8; 16];
    random.fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}
