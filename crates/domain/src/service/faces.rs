//! Faces outside processing: the challenge a capture sequence answers, the key facemaps are
//! sealed with, and where a facemap is downloaded. The face capabilities themselves are steps
//! of processing (`processing/liveness.rs`, `similarity.rs`, `authentication.rs`).

use uuid::Uuid;
use verifyd_types::ErrorCode;

use super::server_secrets::ServerSecret;
use super::Verifyd;
use crate::error::DomainError;
use crate::facemap::{self, FaceTemplate};
use crate::model::Category;
use crate::repository::LivenessChallenge;

/// Turns a capture challenge asks for.
pub const CHALLENGE_TURNS: usize = 3;

impl Verifyd {
    /// The key facemaps are sealed with: a server secret, made on first use.
    pub(super) async fn facemap_key(&self) -> Result<[u8; 32], DomainError> {
        if let Some(key) = self.facemap_sealing_key.get() {
            return Ok(*key);
        }
        let key = self
            .sealed_server_secret(ServerSecret::FacemapSealing)
            .await?;
        // Every process opens the same stored key, so a race here sets the same value.
        Ok(*self.facemap_sealing_key.get_or_init(|| key))
    }

    /// Opens a facemap for `tenant`: the template, or why it is refused.
    pub async fn open_facemap(
        &self,
        tenant: Uuid,
        bytes: &[u8],
    ) -> Result<Result<FaceTemplate, facemap::FacemapError>, DomainError> {
        let key = self.facemap_key().await?;
        Ok(facemap::open(&key, tenant, bytes))
    }
}

impl Verifyd {
    /// The challenge for the capture sequence of a FACEMAP credential: the turns the person
    /// must make, in order. Issued once per credential (asking again gives the same turns);
    /// frames uploaded before it do not count.
    pub async fn issue_liveness_challenge(
        &self,
        acquirer: &super::Acquirer,
        account: Uuid,
        execution: Uuid,
        credential: Uuid,
    ) -> Result<LivenessChallenge, DomainError> {
        let now = self.clock.now();
        let (execution, target) = self
            .acquirable(acquirer, account, execution, credential, now)
            .await?;
        if target.credential.category != Category::Facemap {
            return Err(DomainError::Invalid {
                code: ErrorCode::NotACapture,
                message: "liveness challenges are issued for FACEMAP credentials".to_owned(),
            });
        }
        // One challenge per credential: asking again gives the same turns, so a client cannot
        // draw until the turns fit a recording it holds.
        if let Some(issued) = self.repository.liveness_challenge(credential).await? {
            if issued.tenant_id != execution.tenant_id {
                return Err(DomainError::NotFound(crate::error::Resource::Credential));
            }
            return Ok(issued);
        }
        let mut bits = [0u8; CHALLENGE_TURNS];
        self.random.fill(&mut bits);
        let challenge = LivenessChallenge {
            tenant_id: execution.tenant_id,
            credential_id: credential,
            turns: bits
                .iter()
                .map(|bit| {
                    if bit & 1 == 0 {
                        "TURN_LEFT"
                    } else {
                        "TURN_RIGHT"
                    }
                    .to_owned()
                })
                .collect(),
            issued_at: now,
        };
        self.repository.put_liveness_challenge(&challenge).await?;
        Ok(challenge)
    }
}

/// Where retrieval downloads the facemap of `credential`.
pub fn facemap_path(account: Uuid, credential: Uuid) -> String {
    format!("/api/v1/accounts/{account}/credentials/{credential}/parts/FACEMAP")
}
