//! Verifies API credentials. Argon2 is deliberately slow (tens of milliseconds), far too slow to
//! run on every request of a client that polls status; so a successful verification is
//! remembered for a few minutes as a SHA-256 of the secret, and only a mismatch or an expired
//! entry pays for argon2 again. Wrong secrets are never cached, so guessing stays slow.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use verifyd_domain::model::Caller;
use verifyd_domain::Verifyd;

use super::secrets;
use crate::error::ApiError;

const REMEMBER_FOR: Duration = Duration::from_secs(300);
const MAX_ENTRIES: usize = 10_000;

#[derive(Clone)]
struct Remembered {
    secret_digest: [u8; 32],
    caller: Caller,
    verified_at: Instant,
}

#[derive(Clone)]
pub struct ClientVerifier {
    remembered: Arc<Mutex<HashMap<String, Remembered>>>,
    /// Argon2 runs at most this many at once: a flood of wrong secrets queues instead of
    /// exhausting memory and the blocking pool.
    hashing: Arc<tokio::sync::Semaphore>,
}

impl Default for ClientVerifier {
    fn default() -> Self {
        let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            remembered: Arc::default(),
            hashing: Arc::new(tokio::sync::Semaphore::new(parallel)),
        }
    }
}

fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

impl ClientVerifier {
    pub async fn verify(
        &self,
        verifyd: &Verifyd,
        client_id: &str,
        secret: &str,
    ) -> Result<Caller, ApiError> {
        let presented = digest(secret);
        if let Some(caller) = self.recall(client_id, &presented) {
            return Ok(caller);
        }
        let client = verifyd
            .api_client(client_id)
            .await?
            .ok_or_else(|| ApiError::unauthorized("unknown API credentials"))?;
        let hash = client.secret_hash.clone();
        let secret = secret.to_owned();
        let permit = self
            .hashing
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        let matches = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            secrets::verify(&secret, &hash)
        })
        .await
        .map_err(ApiError::internal)?;
        if !matches {
            return Err(ApiError::unauthorized("unknown API credentials"));
        }
        let caller = Caller {
            tenant_id: client.tenant_id,
            client_id: client.client_id,
            scopes: client.scopes,
        };
        self.remember(client_id, presented, caller.clone());
        Ok(caller)
    }

    fn recall(&self, client_id: &str, presented: &[u8; 32]) -> Option<Caller> {
        let remembered = self.remembered.lock().unwrap_or_else(|p| p.into_inner());
        remembered
            .get(client_id)
            .filter(|entry| {
                entry.verified_at.elapsed() < REMEMBER_FOR && &entry.secret_digest == presented
            })
            .map(|entry| entry.caller.clone())
    }

    fn remember(&self, client_id: &str, secret_digest: [u8; 32], caller: Caller) {
        let mut remembered = self.remembered.lock().unwrap_or_else(|p| p.into_inner());
        if remembered.len() >= MAX_ENTRIES {
            remembered.retain(|_, entry| entry.verified_at.elapsed() < REMEMBER_FOR);
            if remembered.len() >= MAX_ENTRIES {
                remembered.clear();
            }
        }
        remembered.insert(
            client_id.to_owned(),
            Remembered {
                secret_digest,
                caller,
                verified_at: Instant::now(),
            },
        );
    }
}
