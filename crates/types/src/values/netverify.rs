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

/// A field performNetverify's `enabledFields` may list: what is extracted and compared for the
/// transaction. A field left out is neither read into the result nor compared with the
/// customer's data; without `idFaceMatch` the face image is not matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnabledField {
    IdNumber,
    IdFirstName,
    IdLastName,
    IdDob,
    IdExpiry,
    IdUsState,
    IdPersonalNumber,
    IdFaceMatch,
    IdAddress,
}

impl EnabledField {
    pub const ALL: [EnabledField; 9] = [
        EnabledField::IdNumber,
        EnabledField::IdFirstName,
        EnabledField::IdLastName,
        EnabledField::IdDob,
        EnabledField::IdExpiry,
        EnabledField::IdUsState,
        EnabledField::IdPersonalNumber,
        EnabledField::IdFaceMatch,
        EnabledField::IdAddress,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EnabledField::IdNumber => "idNumber",
            EnabledField::IdFirstName => "idFirstName",
            EnabledField::IdLastName => "idLastName",
            EnabledField::IdDob => "idDob",
            EnabledField::IdExpiry => "idExpiry",
            EnabledField::IdUsState => "idUsState",
            EnabledField::IdPersonalNumber => "idPersonalNumber",
            EnabledField::IdFaceMatch => "idFaceMatch",
            EnabledField::IdAddress => "idAddress",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.as_str() == name)
    }
}

/// performNetverify's `callbackGranularity`: one callback when the verification ends, or one
/// more when the images are received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CallbackGranularity {
    #[default]
    OnFinish,
    OnAllSteps,
}

impl CallbackGranularity {
    pub const ALL: [CallbackGranularity; 2] = [
        CallbackGranularity::OnFinish,
        CallbackGranularity::OnAllSteps,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallbackGranularity::OnFinish => "onFinish",
            CallbackGranularity::OnAllSteps => "onAllSteps",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|value| value.as_str() == name)
    }
}
