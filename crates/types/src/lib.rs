//! Wire types of the verifyd API: the JSON bodies that cross HTTP, named and shaped as in the vendor
//! specification (`shared/spec`), so that an integration written for that service deserialises them
//! unchanged. No I/O and no rules live here: the domain validates, the server maps.

pub mod account;
pub mod acquisition;
pub mod document_verification;
pub mod document_web;
pub mod error;
pub mod error_code;
pub mod health;
pub mod id_types;
pub mod netverify;
pub mod oauth;
pub mod retrieval;
pub mod schema;
pub mod screening;
pub mod values;
pub mod web;

pub use account::*;
pub use acquisition::*;
pub use error::*;
pub use error_code::ErrorCode;
pub use health::*;
pub use id_types::*;
pub use oauth::*;
pub use retrieval::*;
pub use screening::*;
pub use values::*;
pub use web::*;
