//! `identityVerification`: did the selfie match the ID (similarity), and was a live person there
//! (validity)?

use serde_json::Value;
use verifyd_types::netverify::IdentityVerification;

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
        Some(("PASSED", _)) => "MATCH",
        Some(("REJECTED", "NO_MATCH")) => "NO_MATCH",
        _ => "NOT_POSSIBLE",
    };
    let (validity, reason) = match liveness.map(|l| (l.decision, l.label)) {
        Some(("PASSED", _)) => ("TRUE", None),
        Some((_, label)) => ("FALSE", Some(reason(label))),
        None => ("FALSE", Some("LIVENESS_FAILED")),
    };
    Some(IdentityVerification {
        similarity: similarity.to_owned(),
        validity: validity.to_owned(),
        reason: reason.map(str::to_owned),
    })
}

fn reason(label: &str) -> &'static str {
    match label {
        "NO_FACE_PRESENT" => "NO_FACE_PRESENT",
        "MULTIPLE_PEOPLE" => "MULTIPLE_PEOPLE",
        "FACE_NOT_FULLY_VISIBLE" => "FACE_NOT_FULLY_VISIBLE",
        "ID_USED_AS_SELFIE" => "ENTIRE_ID_USED_AS_SELFIE",
        "DIGITAL_COPY" | "PHOTOCOPY" => "SELFIE_IS_SCREEN_PAPER_VIDEO",
        "MANIPULATED" => "SELFIE_MANIPULATED",
        "AGE_DIFFERENCE" => "AGE_DIFFERENCE_TOO_BIG",
        "BLACK_WHITE" => "BLACK_AND_WHITE",
        "BAD_QUALITY" => "BAD_QUALITY",
        _ => "LIVENESS_FAILED",
    }
}
