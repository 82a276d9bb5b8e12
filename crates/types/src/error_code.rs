//! The machine codes of unsuccessful responses (`ErrorResponse.code`, `RateLimitedResponse.code`).
//!
//! One closed set, so that an integration can branch on every code the server may send, the
//! OpenAPI document lists them, and `docs/errors.md` is checked against them
//! (`tests/documented_error_codes.rs`). Which HTTP status goes with a code is the server's
//! business (`verifyd_server::error`); each variant's comment names it for the reader.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares the enum and `ALL` from one list, so that `ALL` cannot miss a variant.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])+ $variant:ident => $wire:literal,)+) => {
        /// verifyd's stable machine-readable reason for an unsuccessful response, to branch on
        /// instead of the message; docs/errors.md says when each is sent, with which status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, ToSchema)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as sent on the wire (the same text serde writes).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $wire,)+
                }
            }
        }
    };
}

error_codes! {
    /// 401: no credentials, unreadable ones, an unknown client, a wrong secret or an invalid token.
    Unauthorized => "UNAUTHORIZED",
    /// 401: the workflow token (or bearer token, or a Document Verification link's token) ran out before it was used.
    TokenExpired => "TOKEN_EXPIRED",
    /// 401: acquisition started but stayed idle longer than the session timeout.
    SessionExpired => "SESSION_EXPIRED",
    /// 403: the request has no User-Agent header.
    MissingUserAgent => "MISSING_USER_AGENT",
    /// 403: the API credentials lack the scope the operation needs.
    MissingScope => "MISSING_SCOPE",
    /// 403: a workflow token was used where API credentials are needed.
    WorkflowTokenNotAllowed => "WORKFLOW_TOKEN_NOT_ALLOWED",
    /// 403: the workflow token belongs to another account or workflow execution (a Document Verification link's token: to another transaction).
    TokenNotForThisExecution => "TOKEN_NOT_FOR_THIS_EXECUTION",
    /// 403: the credential cannot be acquired through the caller's channel, or the web session is read without a WEB token.
    ChannelNotAllowed => "CHANNEL_NOT_ALLOWED",
    /// 400: a path parameter that must be a UUID is not one.
    InvalidId => "INVALID_ID",
    /// 400: the part classifier in the path is not one the API knows.
    UnknownClassifier => "UNKNOWN_CLASSIFIER",
    /// 400: the web session's `credentialId` is not a UUID.
    InvalidCredentialId => "INVALID_CREDENTIAL_ID",
    /// 400: the web session's `idType` is not a known document type.
    InvalidIdType => "INVALID_ID_TYPE",
    /// 400: a request field breaks a rule; the message names the field.
    InvalidField => "INVALID_FIELD",
    /// 400: the JSON body is not valid JSON.
    MalformedJson => "MALFORMED_JSON",
    /// 400: the JSON body (or prepared data) does not have the expected fields or types.
    InvalidJson => "INVALID_JSON",
    /// 400 or 413: the JSON body could not be read (too large, or broken off).
    InvalidBody => "INVALID_BODY",
    /// 400: the multipart/form-data body is malformed.
    InvalidMultipart => "INVALID_MULTIPART",
    /// 400: the multipart body has no field named `file`.
    MissingFile => "MISSING_FILE",
    /// 415: the body is not of a content type the operation takes.
    UnsupportedMediaType => "UNSUPPORTED_MEDIA_TYPE",
    /// 413: a prepared-data JSON body exceeds the JSON size limit.
    BodyTooLarge => "BODY_TOO_LARGE",
    /// 400: `POST /oauth2/token` without `grant_type=client_credentials`.
    UnsupportedGrantType => "UNSUPPORTED_GRANT_TYPE",
    /// 408: the request body did not arrive whole within the body-read deadline.
    RequestTimeout => "REQUEST_TIMEOUT",
    /// 400: a file part (FRONT, FACE, ...) was sent as JSON instead of multipart/form-data.
    ExpectedFile => "EXPECTED_FILE",
    /// 400: PREPARED_DATA was sent as a file instead of a JSON body.
    ExpectedJson => "EXPECTED_JSON",
    /// 400: the uploaded file is empty.
    EmptyFile => "EMPTY_FILE",
    /// 413: the uploaded file exceeds the upload size limit.
    FileTooLarge => "FILE_TOO_LARGE",
    /// 415: the uploaded file is not of the type this part takes.
    UnsupportedFileType => "UNSUPPORTED_FILE_TYPE",
    /// 400: the image's dimensions exceed the maximum.
    ImageTooLarge => "IMAGE_TOO_LARGE",
    /// 400: the image's longest side is below the minimum.
    ImageTooSmall => "IMAGE_TOO_SMALL",
    /// 400: the file is damaged or truncated.
    CorruptFile => "CORRUPT_FILE",
    /// 400: checking the file took longer than allowed.
    InspectionTimeout => "INSPECTION_TIMEOUT",
    /// 400: the FACEMAP upload is not a facemap this server issued to the tenant.
    InvalidFacemap => "INVALID_FACEMAP",
    /// 400: the workflow needs an existing account, an ID or a facemap on file that is missing.
    PrerequisiteNotMet => "PREREQUISITE_NOT_MET",
    /// 400: finalize was called with nothing uploaded.
    NothingUploaded => "NOTHING_UPLOADED",
    /// 400: a document was chosen for a credential that is not an ID.
    NotAnId => "NOT_AN_ID",
    /// 400: a liveness challenge was asked for a credential that is not a FACEMAP.
    NotACapture => "NOT_A_CAPTURE",
    /// 400: the chosen country and document type are not among those the verification accepts.
    DocumentNotAccepted => "DOCUMENT_NOT_ACCEPTED",
    /// 409: the part is uploaded already (POST); replace it with PUT or delete it first.
    PartExists => "PART_EXISTS",
    /// 409: the document cannot be changed once a side of it is uploaded.
    DocumentAlreadyCaptured => "DOCUMENT_ALREADY_CAPTURED",
    /// 409: the workflow execution is no longer acquiring (finalized or expired).
    AcquisitionClosed => "ACQUISITION_CLOSED",
    /// 400: a Document Verification page number outside 1 to 30 (1 to 2 for a credit card), or a PDF of more pages than that.
    TooManyPages => "TOO_MANY_PAGES",
    /// 400: a PDF of several pages sent to the page upload; send it to `.../document`.
    MultiPagePdf => "MULTI_PAGE_PDF",
    /// 400: a PDF page holds neither a scanned image nor a text layer verifyd can read.
    UnreadablePdfPage => "UNREADABLE_PDF_PAGE",
    /// 409: a tenant of that name exists already (administration, not the HTTP API).
    TenantExists => "TENANT_EXISTS",
    /// 404: the tenant does not exist.
    TenantNotFound => "TENANT_NOT_FOUND",
    /// 404: no such account for this tenant (or deleted).
    AccountNotFound => "ACCOUNT_NOT_FOUND",
    /// 404: no such workflow execution for this tenant (or deleted).
    WorkflowExecutionNotFound => "WORKFLOW_EXECUTION_NOT_FOUND",
    /// 404: no such credential in the workflow execution.
    CredentialNotFound => "CREDENTIAL_NOT_FOUND",
    /// 404: no such part (or deleted).
    PartNotFound => "PART_NOT_FOUND",
    /// 404: no such netverify transaction for this tenant (or deleted).
    TransactionNotFound => "TRANSACTION_NOT_FOUND",
    /// 404: no such screening search for this tenant (`searchResultUrl`).
    ScreeningSearchNotFound => "SCREENING_SEARCH_NOT_FOUND",
    /// 404: no such route, web-client file or scan data part.
    NotFound => "NOT_FOUND",
    /// 429: more initiations than the tenant's rate limits allow; `Retry-After` says when to retry.
    RateLimited => "RATE_LIMITED",
    /// 400: the framework refused the request (an unreadable path parameter or form).
    BadRequest => "BAD_REQUEST",
    /// 400: the framework could not map the form onto the request type (its 422, answered as 400).
    UnprocessableEntity => "UNPROCESSABLE_ENTITY",
    /// 403: the framework or a layer refused the request without a reason of its own.
    Forbidden => "FORBIDDEN",
    /// 405: the path exists but not with this method.
    MethodNotAllowed => "METHOD_NOT_ALLOWED",
    /// 413: the body exceeds the size limit for the route.
    PayloadTooLarge => "PAYLOAD_TOO_LARGE",
    /// 429: a layer limited the request without a reason of its own.
    TooManyRequests => "TOO_MANY_REQUESTS",
    /// 500 (or any 5xx): a fault of verifyd itself; the cause is logged, not returned.
    InternalError => "INTERNAL_ERROR",
    /// Any other 4xx status the framework answered without a reason of its own.
    Error => "ERROR",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn serde_writes_and_reads_exactly_the_wire_text() -> Result<(), serde_json::Error> {
        for code in ErrorCode::ALL {
            let written = serde_json::to_value(code)?;
            assert_eq!(written, serde_json::Value::from(code.as_str()), "{code:?}");
            let read: ErrorCode = serde_json::from_value(written)?;
            assert_eq!(read, *code);
        }
        Ok(())
    }

    #[test]
    fn every_code_is_distinct_screaming_snake_text() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{text} is not SCREAMING_SNAKE"
            );
            assert_eq!(code.to_string(), text);
        }
    }
}
