//! Reading the recorded outcome (the retrieval response's `capabilities`) back by capability and
//! credential category.

use serde_json::Value;

/// One capability's entry for a credential: its decision type, label and data.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub decision: &'a str,
    pub label: &'a str,
    pub data: &'a Value,
}

/// The first entry of `capability` that covers a credential of `category`.
pub fn entry<'a>(outcome: &'a Value, capability: &str, category: &str) -> Option<Entry<'a>> {
    outcome
        .get("capabilities")?
        .get(capability)?
        .as_array()?
        .iter()
        .find(|item| {
            item.get("credentials")
                .and_then(Value::as_array)
                .is_some_and(|credentials| {
                    credentials
                        .iter()
                        .any(|c| c.get("category").and_then(Value::as_str) == Some(category))
                })
        })
        .map(|item| Entry {
            decision: item
                .pointer("/decision/type")
                .and_then(Value::as_str)
                .unwrap_or("NOT_EXECUTED"),
            label: item
                .pointer("/decision/details/label")
                .and_then(Value::as_str)
                .unwrap_or("TECHNICAL_ERROR"),
            data: item.get("data").unwrap_or(&Value::Null),
        })
}
