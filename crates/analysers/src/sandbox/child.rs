//! The child side: limit yourself, read the PDF from standard input, answer one JSON line.

use std::io::{Read, Write};
use std::process::ExitCode;

use rlimit::Resource;
use verifyd_engine::upload::{inspect_pdf, InspectError};

use super::{ChildLimits, Verdict};

/// Runs in `verifyd inspect-pdf` before anything else (no runtime, no logging, no settings).
pub fn child_main() -> ExitCode {
    let limits = ChildLimits::DEFAULT;
    let limited = [
        (Resource::AS, limits.address_space),
        (Resource::CPU, limits.cpu_seconds),
        (Resource::FSIZE, 0),
        (Resource::CORE, 0),
    ]
    .into_iter()
    .try_for_each(|(resource, value)| rlimit::setrlimit(resource, value, value));
    if let Err(error) = limited {
        // Without its limits the child must not parse: the server refuses the upload.
        eprintln!("inspect-pdf: cannot limit resources: {error}");
        return ExitCode::FAILURE;
    }
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin()
        .take(limits.max_input)
        .read_to_end(&mut bytes)
    {
        eprintln!("inspect-pdf: cannot read the PDF: {error}");
        return ExitCode::FAILURE;
    }
    let verdict = match inspect_pdf(&bytes) {
        Ok(info) => Verdict::Pdf { pages: info.pages },
        Err(InspectError::Empty) => Verdict::Empty,
        Err(InspectError::NotAPdf) => Verdict::NotAPdf,
        Err(InspectError::Corrupt(reason)) => Verdict::Corrupt { reason },
        Err(other) => Verdict::Corrupt {
            reason: other.to_string(),
        },
    };
    let mut out = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &verdict).is_ok() && out.flush().is_ok();
    if written {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
