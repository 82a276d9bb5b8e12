//! The verification status and reject reason of a processed transaction, from the decisions of
//! the capabilities on its ID (reference/callback.md, "Reject reason").

use serde_json::Value;
use verifyd_types::netverify::{RejectReason, RejectReasonDetails};

use super::outcome::entry;
use crate::rules::document_checks::MISMATCH_PRINTED_BARCODE_DATA;

/// `verificationStatus` with its reject reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: &'static str,
    pub reject_reason: Option<RejectReason>,
}

pub const APPROVED_VERIFIED: &str = "APPROVED_VERIFIED";
pub const NO_ID_UPLOADED: &str = "NO_ID_UPLOADED";
const DENIED_FRAUD: &str = "DENIED_FRAUD";
const NOT_READABLE: &str = "ERROR_NOT_READABLE_ID";

impl Verdict {
    pub fn approved(&self) -> bool {
        self.status == APPROVED_VERIFIED
    }

    /// Denied as fraud: what data retention keeps unless told otherwise.
    pub fn fraud(&self) -> bool {
        self.status == DENIED_FRAUD
    }

    pub fn no_id() -> Self {
        Self {
            status: NO_ID_UPLOADED,
            reject_reason: None,
        }
    }

    fn with(status: &'static str, code: &str, description: &str) -> Self {
        Self {
            status,
            reject_reason: Some(RejectReason {
                reject_reason_code: code.to_owned(),
                reject_reason_description: description.to_owned(),
                reject_reason_details: None,
            }),
        }
    }

    fn detailed(mut self, code: &str, description: &str) -> Self {
        if let Some(reason) = &mut self.reject_reason {
            reason.reject_reason_details = Some(RejectReasonDetails {
                details_code: code.to_owned(),
                details_description: description.to_owned(),
            });
        }
        self
    }

    fn plain(status: &'static str) -> Self {
        Self {
            status,
            reject_reason: None,
        }
    }

    /// The first capability on the ID that did not pass decides, in dependency order. A
    /// capability that could not run is not a pass: the ID counts as not readable, with
    /// MISSING_MANDATORY_DATAPOINTS, never as approved.
    pub fn of(outcome: &Value) -> Self {
        for capability in ["usability", "imageChecks", "extraction", "dataChecks"] {
            let Some(found) = entry(outcome, capability, "ID") else {
                continue;
            };
            match found.decision {
                "PASSED" | "WARNING" => continue,
                "REJECTED" => return rejection(capability, found.label, found.data),
                _ => {
                    return Self::with(NOT_READABLE, "200", "NOT_READABLE_DOCUMENT")
                        .detailed("2007", "MISSING_MANDATORY_DATAPOINTS")
                }
            }
        }
        if entry(outcome, "usability", "ID").is_none() {
            return Self::no_id();
        }
        Self::plain(APPROVED_VERIFIED)
    }
}

/// Whether the decision's `data.reasons` holds `reason`.
fn has_reason(data: &Value, reason: &str) -> bool {
    data.get("reasons")
        .and_then(Value::as_array)
        .is_some_and(|reasons| reasons.iter().any(|r| r.as_str() == Some(reason)))
}

fn rejection(capability: &str, label: &str, data: &Value) -> Verdict {
    match (capability, label) {
        ("dataChecks", "MISMATCHING_DATAPOINTS")
            if has_reason(data, MISMATCH_PRINTED_BARCODE_DATA) =>
        {
            Verdict::with(DENIED_FRAUD, "111", MISMATCH_PRINTED_BARCODE_DATA)
        }
        (_, "NOT_UPLOADED") => Verdict::no_id(),
        (_, "UNSUPPORTED_COUNTRY") => Verdict::plain("DENIED_UNSUPPORTED_ID_COUNTRY"),
        (_, "UNSUPPORTED_DOCUMENT_TYPE") => Verdict::plain("DENIED_UNSUPPORTED_ID_TYPE"),
        (_, "NOT_A_DOCUMENT") => Verdict::with(NOT_READABLE, "201", "NO_DOCUMENT"),
        (_, "BLACK_WHITE") => Verdict::with(NOT_READABLE, "102", "PHOTOCOPY_BLACK_WHITE"),
        (_, "PHOTOCOPY") => Verdict::with(NOT_READABLE, "103", "PHOTOCOPY_COLOR"),
        (_, "DIGITAL_COPY") => Verdict::with(NOT_READABLE, "104", "DIGITAL_COPY"),
        (_, "SAMPLE") => Verdict::with(NOT_READABLE, "202", "SAMPLE_DOCUMENT"),
        (_, "MISSING_PAGE") => Verdict::with(NOT_READABLE, "206", "MISSING_BACK"),
        (_, "MISSING_SIGNATURE") => Verdict::with(NOT_READABLE, "209", "MISSING_SIGNATURE"),
        (_, "WATERMARK") => Verdict::with(NOT_READABLE, "213", "INVALID_WATERMARK"),
        (_, "DIFFERENT_PERSON") => Verdict::with(NOT_READABLE, "211", "DIFFERENT_PERSONS_SHOWN"),
        (_, "MANIPULATED_DOCUMENT") => Verdict::with(DENIED_FRAUD, "100", "MANIPULATED_DOCUMENT"),
        (_, "PUNCHED") => Verdict::with(DENIED_FRAUD, "109", "PUNCHED_DOCUMENT"),
        (_, "MRZ_CHECKSUM") => Verdict::with(DENIED_FRAUD, "108", "MRZ_CHECK_FAILED"),
        (_, "MISMATCHING_DATAPOINTS" | "MISMATCH_HRZ_MRZ_DATA") => {
            Verdict::with(DENIED_FRAUD, "115", "MISMATCH_HRZ_MRZ_DATA")
        }
        (_, "NFC_CERTIFICATE") => Verdict::with(DENIED_FRAUD, "110", "CHIP_DATA_MANIPULATED"),
        ("imageChecks", _) => Verdict::with(DENIED_FRAUD, "106", "FAKE"),
        _ => Verdict::with(NOT_READABLE, "200", "NOT_READABLE_DOCUMENT")
            .detailed("2002", "BAD_QUALITY"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn outcome(entries: &[(&str, &str, &str)]) -> Value {
        let mut capabilities = serde_json::Map::new();
        for (capability, decision, label) in entries {
            capabilities.insert(
                (*capability).to_owned(),
                json!([{"credentials": [{"id": "c", "category": "ID"}], "decision": {"type": decision, "details": {"label": label}}, "data": {}}]),
            );
        }
        json!({ "capabilities": capabilities })
    }

    #[test]
    fn only_an_id_whose_every_capability_passed_is_approved() {
        let all_passed = outcome(&[
            ("usability", "PASSED", "OK"),
            ("imageChecks", "PASSED", "OK"),
            ("extraction", "PASSED", "OK"),
            ("dataChecks", "PASSED", "OK"),
        ]);
        assert!(Verdict::of(&all_passed).approved());
        let not_run = outcome(&[
            ("usability", "PASSED", "OK"),
            ("imageChecks", "NOT_EXECUTED", "TECHNICAL_ERROR"),
        ]);
        let verdict = Verdict::of(&not_run);
        assert_eq!(verdict.status, NOT_READABLE);
        assert_eq!(
            verdict.reject_reason.map(|r| r.reject_reason_code),
            Some("200".to_owned())
        );
    }

    #[test]
    fn rejections_map_to_the_reject_reason_codes() {
        for (capability, label, status, code) in [
            ("usability", "NOT_A_DOCUMENT", NOT_READABLE, Some("201")),
            ("usability", "BAD_QUALITY", NOT_READABLE, Some("200")),
            ("usability", "BLACK_WHITE", NOT_READABLE, Some("102")),
            ("usability", "MISSING_PAGE", NOT_READABLE, Some("206")),
            (
                "usability",
                "UNSUPPORTED_COUNTRY",
                "DENIED_UNSUPPORTED_ID_COUNTRY",
                None,
            ),
            ("usability", "NOT_UPLOADED", NO_ID_UPLOADED, None),
            ("imageChecks", "SAMPLE", NOT_READABLE, Some("202")),
            ("imageChecks", "DIGITAL_COPY", NOT_READABLE, Some("104")),
            (
                "imageChecks",
                "MANIPULATED_DOCUMENT",
                DENIED_FRAUD,
                Some("100"),
            ),
            ("dataChecks", "MRZ_CHECKSUM", DENIED_FRAUD, Some("108")),
            (
                "dataChecks",
                "MISMATCHING_DATAPOINTS",
                DENIED_FRAUD,
                Some("115"),
            ),
            (
                "dataChecks",
                "MISMATCH_HRZ_MRZ_DATA",
                DENIED_FRAUD,
                Some("115"),
            ),
        ] {
            let mut entries = vec![("usability", "PASSED", "OK")];
            if capability == "usability" {
                entries.clear();
            }
            entries.push((capability, "REJECTED", label));
            let verdict = Verdict::of(&outcome(&entries));
            assert_eq!(verdict.status, status, "{capability} {label}");
            assert_eq!(
                verdict.reject_reason.map(|r| r.reject_reason_code),
                code.map(str::to_owned),
                "{capability} {label}"
            );
        }
    }

    #[test]
    fn a_licence_front_contradicting_its_barcode_is_reason_111() {
        let mut forged = outcome(&[("dataChecks", "REJECTED", "MISMATCHING_DATAPOINTS")]);
        forged["capabilities"]["dataChecks"][0]["data"] =
            json!({"reasons": [MISMATCH_PRINTED_BARCODE_DATA], "fields": ["LAST_NAME"]});
        let verdict = Verdict::of(&forged);
        assert_eq!(verdict.status, DENIED_FRAUD);
        assert_eq!(
            verdict
                .reject_reason
                .map(|r| (r.reject_reason_code, r.reject_reason_description)),
            Some(("111".to_owned(), "MISMATCH_PRINTED_BARCODE_DATA".to_owned()))
        );
    }
}
