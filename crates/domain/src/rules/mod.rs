//! Pure rules: the workflow definitions, the validation of what a tenant asks for, and the
//! decisions on what the analysers found.

pub mod document_checks;
pub mod document_code;
pub mod document_extraction;
pub mod document_verification;
pub mod document_web_client;
pub mod enabled_fields;
pub mod initiation;
pub mod netverify;
pub mod perform_netverify;
pub mod prepared_data;
pub mod rate_limit;
pub mod replay;
pub mod screening_options;
pub mod text;
pub mod token_lifetime;
pub mod url_rules;
pub mod workflow_definition;

/// A request field that breaks a rule, with the field's path in the request body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
