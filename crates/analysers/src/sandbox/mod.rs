//! Uploaded PDFs are parsed in a child process, never in the server.
//!
//! A PDF parser is a large amount of code walking attacker-controlled structure: nesting that
//! recurses, streams that inflate, objects that multiply in memory. lopdf 0.47 bounds nesting
//! (100 levels) and inflates each stream against a limit inside the decompressor, but the
//! memory its object tree takes is not bounded, and a parse that runs long cannot be stopped
//! from outside in-process. So the server hands the bytes to `verifyd inspect-pdf` (the same
//! binary), which first lowers its own resource limits (address space, CPU seconds, no files
//! written, no core dumps) and then parses. Whatever the file does, the worst outcome is a
//! dead child and a refused upload: the server's stack, memory and time are not touched, and a
//! child that outlives the inspection timeout is killed.
//!
//! Images are not sandboxed: their decoders (image's JPEG and PNG) do not recurse, their
//! dimensions are checked from the header before decoding, and the decode's allocation is
//! capped from those dimensions (see `verifyd_engine::upload`).

mod child;
mod parent;

pub use child::child_main;
pub use parent::PdfSandbox;

use serde::{Deserialize, Serialize};

/// The subcommand (first argument) that runs the child side.
pub const SUBCOMMAND: &str = "inspect-pdf";

/// Resource limits the child sets on itself before it reads the PDF.
#[derive(Debug, Clone, Copy)]
pub struct ChildLimits {
    /// Address space, in bytes: the whole process, code and libraries included.
    pub address_space: u64,
    /// CPU seconds before the kernel stops the child.
    pub cpu_seconds: u64,
    /// The most bytes read from standard input.
    pub max_input: u64,
}

impl ChildLimits {
    /// An identity document's PDF (a few pages of scans, at most the 15 MB upload limit) parses
    /// in a few megabytes and milliseconds; these leave an order of magnitude and more.
    pub const DEFAULT: Self = Self {
        address_space: 1 << 30,
        cpu_seconds: 10,
        max_input: 64 << 20,
    };
}

/// What the child answers on standard output, one JSON line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "camelCase")]
pub enum Verdict {
    Pdf { pages: usize },
    Empty,
    NotAPdf,
    Corrupt { reason: String },
}
