//! The closed sets of values the API sends, each defined once: the wire types use them as field
//! types so that the OpenAPI document lists the values, and the domain uses the same types, so
//! that no second copy with a hand-written mapping can drift from what is sent. Requests keep
//! reading such fields as text where the domain names a bad value with its own error code.

mod classifier;
mod credential;
mod decision;
mod document;
mod execution;
mod id_type;
mod label;
mod netverify;
mod web;

pub use classifier::{Classifier, MAX_LIVENESS_FRAMES};
pub use credential::{Category, Channel, PredefinedType};
pub use decision::{Capability, DecisionType};
pub use document::{DocumentSource, DocumentStatus, DocumentType};
pub use execution::{CaptureMethod, ExecutionApi, ExecutionStatus};
pub use id_type::IdType;
pub use label::Label;
pub use netverify::{
    CallbackGranularity, EnabledField, IdentityReason, MrzCheck, ScanStatus, Similarity, Validity,
    VerificationStatus,
};
pub use web::{AcquisitionState, Delivery};
