//! The labels a decision carries (`decision.details.label`), for every capability and the
//! execution as a whole: the specification's lists (reference/api_guide.md, per capability),
//! and the few verifyd adds, each marked. One set for all capabilities, because the execution's
//! label is the label of the capability that decided it.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Label {
    // Every capability.
    Ok,
    TechnicalError,
    PreconditionNotFulfilled,
    // Usability.
    NotUploaded,
    BadQuality,
    Blurred,
    BadQualityImage,
    PartOfDocumentMissing,
    PartOfDocumentHidden,
    DamagedDocument,
    Glare,
    MissingMandatoryDatapoints,
    BlackWhite,
    MissingPage,
    MissingSignature,
    NotADocument,
    Photocopy,
    UnsupportedCountry,
    UnsupportedDocumentType,
    // Liveness.
    LivenessUndetermined,
    IdUsedAsSelfie,
    MultiplePeople,
    DigitalCopy,
    Manipulated,
    NoFacePresent,
    FaceNotFullyVisible,
    AgeDifference,
    // Similarity.
    Match,
    NoMatch,
    NotPossible,
    // Authentication.
    Failed,
    // Image checks.
    Watermark,
    ManipulatedDocument,
    ManipulatedDocumentPhoto,
    ManipulatedDocumentExpiry,
    ManipulatedDocumentName,
    ManipulatedDocumentAddress,
    ManipulatedDocumentSecurityChecks,
    ManipulatedDocumentSignature,
    ManipulatedDocumentPersonalNumber,
    ManipulatedDocumentPlaceOfBirth,
    ManipulatedDocumentGender,
    ManipulatedDocumentIssuingDate,
    OtherRejection,
    GhostImageDifferent,
    Punched,
    Sample,
    Fake,
    ChipMissing,
    DigitalManipulation,
    MismatchFrontBack,
    DifferentPerson,
    RepeatedFace,
    // Data checks.
    NfcCertificate,
    MismatchingDatapoints,
    MrzChecksum,
    MismatchingDataRepeatedFace,
    MismatchHrzMrzData,
    // Watchlist screening and the other checks on extracted data.
    NotEnoughData,
    ValidationFailed,
    InvalidMerchantSettings,
    ExtractionNotDone,
    NoValidIdCredential,
    UnsupportedState,
    Alert,
    Deny,
    /// verifyd: an execution whose workflow tokens ran out before acquisition started, as its
    /// status names it (NOT_EXECUTED).
    TokenExpired,
    /// verifyd: an execution whose acquisition session expired (NOT_EXECUTED).
    SessionExpired,
}

/// The label as the API spells it, from its serde name (the one spelling), for logs and tests.
impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(text)) => f.write_str(&text),
            _ => Err(fmt::Error),
        }
    }
}
