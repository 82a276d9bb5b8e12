//! Facemaps: verifyd's own face templates. A passed liveness check yields one; workflows 9 and
//! 16 authenticate a new capture against one. They leave the server (retrieval downloads them,
//! customers store them for workflow 16), so they are sealed with authenticated encryption
//! under a key only this server holds: a customer can keep one but neither read nor forge it,
//! and one made for another tenant does not open. The embedding model travels inside, since
//! templates of two models cannot be compared.

use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, KeyInit, Nonce};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The first bytes of every facemap, and its format version.
const MAGIC: &[u8; 4] = b"VFM1";
const NONCE_LENGTH: usize = 12;

/// A face as the embedding model describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceTemplate {
    /// The embedding model's id and version (e.g. "sface-2021dec").
    pub model: String,
    /// Unit length.
    pub embedding: Vec<f32>,
}

impl FaceTemplate {
    /// Cosine similarity; None when the two come from different models.
    pub fn cosine(&self, other: &FaceTemplate) -> Option<f32> {
        (self.model == other.model && self.embedding.len() == other.embedding.len()).then(|| {
            self.embedding
                .iter()
                .zip(&other.embedding)
                .map(|(a, b)| a * b)
                .sum()
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Contents {
    template: FaceTemplate,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FacemapError {
    #[error("not a verifyd facemap")]
    NotAFacemap,
    #[error("the facemap was altered, or made by another server or for another tenant")]
    Unauthentic,
    #[error("the facemap could not be sealed")]
    Seal,
}

fn associated(tenant: Uuid) -> Vec<u8> {
    let mut data = MAGIC.to_vec();
    data.extend_from_slice(tenant.as_bytes());
    data
}

/// The sealed facemap of `template`, made for `tenant`.
pub fn seal(
    key: &[u8; 32],
    nonce: [u8; NONCE_LENGTH],
    tenant: Uuid,
    template: &FaceTemplate,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, FacemapError> {
    let contents = serde_json::to_vec(&Contents {
        template: template.clone(),
        created_at: now,
    })
    .map_err(|_| FacemapError::Seal)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let aad = associated(tenant);
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &contents,
                aad: &aad,
            },
        )
        .map_err(|_| FacemapError::Seal)?;
    let mut facemap = MAGIC.to_vec();
    facemap.extend_from_slice(&nonce);
    facemap.extend_from_slice(&sealed);
    Ok(facemap)
}

/// The template inside `facemap`, if this server sealed it for `tenant` and nothing changed.
pub fn open(key: &[u8; 32], tenant: Uuid, facemap: &[u8]) -> Result<FaceTemplate, FacemapError> {
    let rest = facemap
        .strip_prefix(MAGIC.as_slice())
        .ok_or(FacemapError::NotAFacemap)?;
    if rest.len() <= NONCE_LENGTH {
        return Err(FacemapError::NotAFacemap);
    }
    let (nonce, sealed) = rest.split_at(NONCE_LENGTH);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let aad = associated(tenant);
    let contents = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: &aad,
            },
        )
        .map_err(|_| FacemapError::Unauthentic)?;
    let contents: Contents =
        serde_json::from_slice(&contents).map_err(|_| FacemapError::Unauthentic)?;
    Ok(contents.template)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> FaceTemplate {
        FaceTemplate {
            model: "sface-2021dec".to_owned(),
            embedding: vec![0.6, 0.8],
        }
    }

    #[test]
    fn opens_what_it_sealed_and_nothing_else() -> Result<(), FacemapError> {
        let (key, tenant) = ([7u8; 32], Uuid::from_u128(1));
        let made = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let facemap = seal(&key, [1; 12], tenant, &template(), made)?;
        assert_eq!(open(&key, tenant, &facemap)?, template());
        // No byte can change unnoticed.
        for index in 0..facemap.len() {
            let mut altered = facemap.clone();
            altered[index] ^= 0x01;
            assert!(open(&key, tenant, &altered).is_err(), "byte {index}");
        }
        assert_eq!(
            open(&key, Uuid::from_u128(2), &facemap),
            Err(FacemapError::Unauthentic)
        );
        assert_eq!(
            open(&[8u8; 32], tenant, &facemap),
            Err(FacemapError::Unauthentic)
        );
        assert_eq!(open(&key, tenant, b"hello"), Err(FacemapError::NotAFacemap));
        Ok(())
    }

    #[test]
    fn templates_of_different_models_do_not_compare() {
        let other = FaceTemplate {
            model: "other".to_owned(),
            ..template()
        };
        assert_eq!(template().cosine(&other), None);
        assert!((template().cosine(&template()).unwrap_or(0.0) - 1.0).abs() < 1e-6);
    }
}
