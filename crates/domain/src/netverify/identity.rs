//! `identityVerification`: did the selfie match the ID (similarity), and was a live person there
//! (validity)?

use serde_json::Value;
use verifyd_types::netverify::IdentityVerification;
use verifyd_types::values::{IdentityReason, Similarity, Validity};

use super::outcome::entry;

/// None when the transaction verified no identity (ID only).
pub fn of(outcome: &Value) -> Option<IdentityVerification> {
    let similarity = entry(outcome, "similarity", "SELFIE");
    let liveness =
        entry(outcome, "liveness", "SELFIE").or_else(|| entry(outcome, "liveness", "FACEMAP"));
    if similarity.is_none() && liveness.is_none() {
        return None;
    }
    let similarity = match similarity.map(|s| (s.decision, s.label)) {
        Some(("PASSED", _)) => Similarity::Match,
        Some(("REJECTED", "NO_MATCH")) => Similarity::NoMatch,
        _ => Similarity::NotPossible,
    };
    let (validity, reason) = match liveness.map(|l| (l.decision, l.label)) {
        Some(("PASSED", _)) => (Validity::True, None),
        Some((_, label)) => (Validity::False, Some(reason(label))),
        None => (Validity::False, Some(IdentityReason::LivenessFailed)),
    };
    Some(IdentityVerification {
        similarity,
        validity,
        reason,
    })
}

fn reason(label: &str) -> IdentityReason {
    match label {
        "NO_FACE_PRESENT" => IdentityReason::NoFacePresent,
        "MULTIPLE_PEOPLE" => IdentityReason::MultiplePeople,
        "FACE_NOT_FULLY_VISIBLE" => IdentityReason::FaceNotFullyVisible,
        "ID_USED_AS_SELFIE" => IdentityReason::EntireIdUsedAsSelfie,
        "DIGITAL_COPY" | "PHOTOCOPY" => IdentityReason::SelfieIsScreenPaperVideo,
        "MANIPULATED" => IdentityReason::SelfieManipulated,
        "AGE_DIFFERENCE" => IdentityReason::AgeDifferenceTooBig,
        "BLACK_WHITE" => IdentityReason::BlackAndWhite,
        "BAD_QUALITY" => IdentityReason::BadQuality,
        _ => IdentityReason::LivenessFailed,
    }
}
