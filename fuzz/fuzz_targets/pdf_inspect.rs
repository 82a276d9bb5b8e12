//! Inspection of uploaded PDFs (`verifyd_engine::upload::inspect_pdf`): the magic bytes, then
//! lopdf's parse with the engine's limits (inflation bounded inside the decompressor, nesting
//! bounded by lopdf): cross-reference tables and streams, object streams, the page tree. In
//! the server this runs in a sandboxed child process; here in-process, so that a panic, a
//! sanitizer error, more than 10 s or more than 2 GB of RSS on one input shows as a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verifyd_engine::upload::inspect_pdf;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = inspect_pdf(data) {
        assert!(info.pages > 0, "a PDF without pages was accepted");
    }
});
