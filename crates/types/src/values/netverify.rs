//! The closed sets of the netverify retrieval API and callback.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The transaction status of the netverify API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanStatus {
    Pending,
    Done,
    Failed,
}

impl ScanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanStatus::Pending => "PENDING",
            ScanStatus::Done => "DONE",
            ScanStatus::Failed => "FAILED",
        }
    }
}

/// `document.status` (the callback's `verificationStatus`) of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VerificationStatus {
    ApprovedVerified,
    DeniedFraud,
    DeniedUnsupportedIdType,
    DeniedUnsupportedIdCountry,
    ErrorNotReadableId,
    NoIdUploaded,
}

/// OK when the MRZ was read and its check digits verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MrzCheck {
    Ok,
    NotAvailable,
}

impl MrzCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            MrzCheck::Ok => "OK",
            MrzCheck::NotAvailable => "NOT_AVAILABLE",
        }
    }
}

/// Whether the selfie shows the person on the ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Similarity {
    Match,
    NoMatch,
    NotPossible,
}

/// Whether a live person was there; the API writes the boolean as upper-case text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Validity {
    True,
    False,
}

/// Why `validity` is FALSE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IdentityReason {
    SelfieCroppedFromId,
    EntireIdUsedAsSelfie,
    MultiplePeople,
    SelfieIsScreenPaperVideo,
    SelfieManipulated,
    AgeDifferenceTooBig,
    NoFacePresent,
    FaceNotFullyVisible,
    BadQuality,
    BlackAndWhite,
    LivenessFailed,
}
