//! The entities of the specification, in its own words.

mod account;
mod capability;
mod credential;
mod document_verification;
mod document_web_client;
mod part;
mod retention;
mod tenant;
mod workflow_execution;

pub use account::*;
pub use capability::*;
pub use credential::*;
pub use document_verification::*;
pub use document_web_client::*;
pub use part::*;
pub use retention::*;
pub use tenant::*;
pub use workflow_execution::*;
