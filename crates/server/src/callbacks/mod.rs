//! Callback delivery: the outbox's due callbacks are POSTed, signed, to their targets, with
//! every attempt recorded and failures retried on the domain's schedule.

mod deliver;
mod guard;
pub mod signing;

pub(crate) use deliver::attempt;
pub use signing::{MasterKey, SIGNATURE_HEADER};
