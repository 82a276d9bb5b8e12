//! Capabilities and decisions: what processing concludes, in the specification's words.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use verifyd_types::values::{Capability, DecisionType, Label};

use super::Category;

/// One capability's verdict on some credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct CapabilityResult {
    pub capability: Capability,
    pub credentials: Vec<(Uuid, Category)>,
    pub decision: DecisionType,
    pub label: Label,
    /// Capability data; `{}` when not executed.
    pub data: serde_json::Value,
    /// Liveness and authentication: the path that downloads the facemap the check produced
    /// (`validFaceMapForAuthentication`, made absolute by the server).
    pub facemap_href: Option<String>,
}

impl CapabilityResult {
    pub fn new(
        capability: Capability,
        credentials: Vec<(Uuid, Category)>,
        decision: DecisionType,
        label: Label,
    ) -> Self {
        Self {
            capability,
            credentials,
            decision,
            label,
            data: serde_json::json!({}),
            facemap_href: None,
        }
    }

    pub fn passed(&self) -> bool {
        self.decision == DecisionType::Passed
    }
}

/// The top-level decision and its risk score band: PASSED 0-30, WARNING 31-70, REJECTED 71-100,
/// NOT_EXECUTED -1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverallDecision {
    pub decision: DecisionType,
    pub label: Label,
    pub risk_score: i32,
}

impl OverallDecision {
    /// A rejection anywhere rejects; a capability that could not run leaves the verification not
    /// executed (never passed); a warning warns; only when everything passed does it pass.
    pub fn from_results(results: &[CapabilityResult]) -> Self {
        if let Some(rejected) = results
            .iter()
            .find(|r| r.decision == DecisionType::Rejected)
        {
            return Self {
                decision: DecisionType::Rejected,
                label: rejected.label,
                risk_score: 90,
            };
        }
        if let Some(skipped) = results
            .iter()
            .find(|r| r.decision == DecisionType::NotExecuted)
        {
            let label = if results.iter().any(|r| r.label == Label::TechnicalError) {
                Label::TechnicalError
            } else {
                skipped.label
            };
            return Self {
                decision: DecisionType::NotExecuted,
                label,
                risk_score: -1,
            };
        }
        if let Some(warning) = results.iter().find(|r| r.decision == DecisionType::Warning) {
            return Self {
                decision: DecisionType::Warning,
                label: warning.label,
                risk_score: 50,
            };
        }
        Self {
            decision: DecisionType::Passed,
            label: Label::Ok,
            risk_score: 10,
        }
    }
}

/// What processing records on the execution, in the retrieval response's shape.
pub fn outcome_document(
    results: &[CapabilityResult],
    overall: &OverallDecision,
) -> serde_json::Value {
    let mut capabilities = serde_json::Map::new();
    for result in results {
        let mut entry = serde_json::json!({
            "credentials": result.credentials.iter().map(|(id, category)| serde_json::json!({"id": id.to_string(), "category": category.as_str()})).collect::<Vec<_>>(),
            "decision": {"type": result.decision, "details": {"label": result.label}},
            "data": result.data,
        });
        if let (Some(href), Some(fields)) = (&result.facemap_href, entry.as_object_mut()) {
            fields.insert(
                "validFaceMapForAuthentication".to_owned(),
                serde_json::Value::String(href.clone()),
            );
        }
        if let Some(serde_json::Value::Array(list)) = capabilities.get_mut(result.capability.key())
        {
            list.push(entry);
        } else {
            capabilities.insert(
                result.capability.key().to_owned(),
                serde_json::Value::Array(vec![entry]),
            );
        }
    }
    serde_json::json!({
        "capabilities": capabilities,
        "decision": {"type": overall.decision, "details": {"label": overall.label}, "risk": {"score": overall.risk_score}},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(decision: DecisionType, label: Label) -> CapabilityResult {
        CapabilityResult::new(Capability::Usability, Vec::new(), decision, label)
    }

    #[test]
    fn a_capability_that_could_not_run_never_lets_the_verification_pass() {
        let passed = result(DecisionType::Passed, Label::Ok);
        let missing = result(DecisionType::NotExecuted, Label::TechnicalError);
        let rejected = result(DecisionType::Rejected, Label::BadQuality);
        assert_eq!(
            OverallDecision::from_results(std::slice::from_ref(&passed)).decision,
            DecisionType::Passed
        );
        let overall = OverallDecision::from_results(&[passed.clone(), missing.clone()]);
        assert_eq!(
            (overall.decision, overall.risk_score),
            (DecisionType::NotExecuted, -1)
        );
        let overall = OverallDecision::from_results(&[passed, missing, rejected]);
        assert_eq!(
            (overall.decision, overall.label),
            (DecisionType::Rejected, Label::BadQuality)
        );
        assert!((71..=100).contains(&overall.risk_score));
    }
}
