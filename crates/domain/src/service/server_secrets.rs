//! The server's own secrets (the token-signing key, the facemap key): made on first use, kept in
//! the database sealed under the keyring, so that the database alone cannot mint a token or
//! open a facemap. Every use goes through `sealed_server_secret`.

use super::Verifyd;
use crate::error::DomainError;
use crate::sealed_secret::{Opened, SECRET_LENGTH};

/// The secrets the server keeps; each is one row of the repository's server secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerSecret {
    /// Signs the bearer tokens (HS256).
    TokenSigning,
    /// Seals facemaps.
    FacemapSealing,
}

impl ServerSecret {
    /// The row's name, also the associated data of its sealing. Never renamed: the stored
    /// values are found, and opened, by it.
    pub fn name(self) -> &'static str {
        match self {
            ServerSecret::TokenSigning => "token-signing-key",
            ServerSecret::FacemapSealing => "facemap-sealing-key",
        }
    }
}

impl Verifyd {
    /// The secret, made and stored sealed on first use (concurrent first starts agree on the
    /// one stored first). A secret stored in clear by an earlier version is sealed in place, so
    /// tokens and facemaps made before keep working. A sealed secret that does not open is an
    /// error, never a reason to make a new one: that would silently void every token and
    /// facemap of an installation started with the wrong master key.
    pub async fn sealed_server_secret(
        &self,
        secret: ServerSecret,
    ) -> Result<[u8; SECRET_LENGTH], DomainError> {
        let name = secret.name();
        let sealing = self.keyring.sealing();
        let mut candidate = [0u8; SECRET_LENGTH];
        self.random.fill(&mut candidate);
        let sealed_candidate = sealing.seal(name, &candidate, self.random.as_ref())?;
        let stored = self
            .repository
            .server_secret(name, &sealed_candidate, self.clock.now())
            .await?;
        match sealing.open(name, &stored)? {
            Opened::Sealed(secret) => Ok(secret),
            Opened::Clear(secret) => {
                let sealed = sealing.seal(name, &secret, self.random.as_ref())?;
                // Not replaced: another process sealed it first, and the secret is the same.
                if self
                    .repository
                    .replace_server_secret(name, &stored, &sealed)
                    .await?
                {
                    tracing::info!(secret = name, "sealed a server secret stored in clear");
                }
                Ok(secret)
            }
        }
    }
}
