//! Why an import or a query is refused. An import refusal keeps the previous list in force:
//! a sanctions list that silently lost its entries would screen everyone as clean.

use crate::model::ListVersion;

/// A list file that cannot become a list version.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("{what} is empty")]
    Empty { what: String },
    #[error("{what}: cannot read record {record}: {message}")]
    Unparsable {
        what: String,
        /// The 1-based line or record number where reading failed.
        record: u64,
        message: String,
    },
    #[error("{what} is not {expected}: {found}")]
    WrongFormat {
        what: String,
        expected: String,
        found: String,
    },
    #[error("{what} is truncated: {message}")]
    Truncated { what: String, message: String },
    #[error("the new {list} list has no entries; the previous version stays in force")]
    NoEntries { list: String },
    #[error(
        "the new {list} list has {next} entries against {previous} before, a shrink of \
         {shrink_percent:.1}% over the {max_percent:.1}% allowed; the previous version stays in force"
    )]
    Shrunk {
        list: String,
        previous: usize,
        next: usize,
        shrink_percent: f64,
        max_percent: f64,
    },
    #[error("delta line {line}: {message}")]
    Delta { line: u64, message: String },
}

/// A query that cannot be screened.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("the name has no word to screen (empty, or only titles, legal forms or punctuation)")]
    NotEnoughData,
    #[error("the name is {chars} characters long; at most {max} are screened")]
    TooLong { chars: usize, max: usize },
}

/// Refuses a new list version that is empty, or that has lost more than `max_shrink` (a share,
/// 0.0..=1.0) of the previous version's entries: a cut download or a changed format looks
/// like a list that shrank, and replacing the list with it would let listed parties through.
pub fn check_replacement(
    previous: Option<&ListVersion>,
    next: &ListVersion,
    max_shrink: f64,
) -> Result<(), ImportError> {
    if next.entries.is_empty() {
        return Err(ImportError::NoEntries {
            list: next.name.clone(),
        });
    }
    let Some(previous) = previous else {
        return Ok(());
    };
    let before = previous.entries.len();
    let after = next.entries.len();
    if before == 0 || after >= before {
        return Ok(());
    }
    let shrink = (before - after) as f64 / before as f64;
    let allowed = if max_shrink.is_finite() {
        max_shrink.clamp(0.0, 1.0)
    } else {
        0.0
    };
    if shrink > allowed {
        return Err(ImportError::Shrunk {
            list: next.name.clone(),
            previous: before,
            next: after,
            shrink_percent: shrink * 100.0,
            max_percent: allowed * 100.0,
        });
    }
    Ok(())
}
