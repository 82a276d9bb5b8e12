//! The Document Verification web client's access: the link's token (`initiationToken` of the
//! `clientRedirectUrl`) issued at initiation, and what it opens. The token is 256 random bits
//! kept only as its SHA-256: a copy of the database cannot open an upload page, and since the
//! token is random (no password to guess), an unkeyed hash is as strong as a keyed one.

use base64::Engine;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use verifyd_types::values::{AcquisitionState, DocumentSource};
use verifyd_types::ErrorCode;

use super::Verifyd;
use crate::error::DomainError;
use crate::model::{Caller, DocumentStage, DocumentVerification, InitiationToken};
use crate::random::Random;

/// Who adds pages to a transaction and finalizes it.
#[derive(Debug, Clone, Copy)]
pub enum DocumentUploader<'a> {
    /// The tenant's API credentials: its own transactions, within the API's 5-minute windows.
    Tenant(&'a Caller),
    /// The web client, with its link's token: the one transaction the token was issued for,
    /// while the link is valid.
    WebClient(&'a str),
}

impl DocumentUploader<'_> {
    /// The transaction's source once this uploader has added pages.
    pub fn source(&self) -> DocumentSource {
        match self {
            DocumentUploader::Tenant(_) => DocumentSource::DocApi,
            DocumentUploader::WebClient(_) => DocumentSource::DocUpload,
        }
    }
}

/// What the web client needs to run (or end) its journey.
pub struct DocumentWebSession {
    pub verification: DocumentVerification,
    /// OPEN; TOKEN_EXPIRED when the link's lifetime ran out or the API took the transaction
    /// over, and so when it FAILED (error 310); FINALIZED when it was submitted (the success
    /// page again).
    pub state: AcquisitionState,
}

/// A new link token and what is stored of it.
pub(super) fn issue_token(
    random: &dyn Random,
    expires_at: DateTime<Utc>,
) -> (String, InitiationToken) {
    let mut bytes = [0u8; 32];
    random.fill(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let stored = InitiationToken {
        hash: token_hash(&token),
        expires_at,
    };
    (token, stored)
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

impl Verifyd {
    /// The transaction the token opens, in whatever state, so that the page can tell the user
    /// why the journey cannot go on (expired) or is over (submitted) instead of failing blindly.
    pub async fn document_web_session(
        &self,
        token: &str,
    ) -> Result<DocumentWebSession, DomainError> {
        let verification = self.linked(token).await?;
        let state = match verification.stage {
            DocumentStage::Processing | DocumentStage::Done => AcquisitionState::Finalized,
            DocumentStage::Acquiring if verification.link_opens(self.clock.now()) => {
                AcquisitionState::Open
            }
            // Failed by the sweep only once the link was dead.
            DocumentStage::Acquiring | DocumentStage::Failed => AcquisitionState::TokenExpired,
        };
        Ok(DocumentWebSession {
            verification,
            state,
        })
    }

    /// Transaction `id`, if the token opens it and it still takes pages.
    pub(super) async fn linked_acquiring(
        &self,
        token: &str,
        id: Uuid,
    ) -> Result<DocumentVerification, DomainError> {
        let verification = self.linked(token).await?;
        if verification.id != id {
            return Err(DomainError::Forbidden {
                code: ErrorCode::TokenNotForThisExecution,
                message: "the initiation token opens another transaction".to_owned(),
            });
        }
        if !verification.link_opens(self.clock.now()) || verification.stage == DocumentStage::Failed
        {
            return Err(DomainError::TokenExpired);
        }
        if verification.stage != DocumentStage::Acquiring {
            return Err(super::document_verification::closed());
        }
        Ok(verification)
    }

    async fn linked(&self, token: &str) -> Result<DocumentVerification, DomainError> {
        self.repository
            .document_verification_by_token(&token_hash(token))
            .await?
            .ok_or(DomainError::InvalidToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counting;

    impl Random for Counting {
        fn fill(&self, buf: &mut [u8]) {
            for (index, byte) in buf.iter_mut().enumerate() {
                *byte = u8::try_from(index).unwrap_or(0);
            }
        }
    }

    #[test]
    fn the_token_is_256_random_bits_stored_as_its_sha256() {
        let expires_at = DateTime::<Utc>::UNIX_EPOCH;
        let (token, stored) = issue_token(&Counting, expires_at);
        assert_eq!(token, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");
        assert_eq!(stored.hash.len(), 64);
        assert!(!stored.hash.contains(&token));
        assert_eq!(stored.hash, token_hash(&token));
        assert_eq!(stored.expires_at, expires_at);
        // SHA-256("abc").
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
