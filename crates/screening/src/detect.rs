//! Which parser a file needs, from its name and first bytes: an operator uploading a list by
//! hand should not have to say what it is, and a wrong guess must not import garbage.

use serde::{Deserialize, Serialize};

/// The list formats this crate reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListFormat {
    /// OFAC `sdn.csv`.
    OfacSdn,
    /// OFAC `alt.csv`.
    OfacAlt,
    /// OFAC `add.csv`.
    OfacAdd,
    /// OFAC `sdn_comments.csv`.
    OfacComments,
    /// The UN consolidated list XML.
    UnConsolidated,
    /// FollowTheMoney entities, JSON lines.
    FtmEntities,
    /// A FollowTheMoney delta file.
    FtmDelta,
}

/// Guesses the format from the file name and its first bytes (a few hundred suffice); None
/// when neither says.
pub fn detect_format(file_name: &str, first_bytes: &[u8]) -> Option<ListFormat> {
    let head = String::from_utf8_lossy(&first_bytes[..first_bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let lower = file_name.to_ascii_lowercase();
    let base = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    if head.starts_with('<') {
        return head
            .contains("CONSOLIDATED_LIST")
            .then_some(ListFormat::UnConsolidated);
    }
    if head.starts_with('{') {
        return Some(if head.starts_with("{\"op\"") || head.contains("\"op\":") {
            ListFormat::FtmDelta
        } else {
            ListFormat::FtmEntities
        });
    }
    if !head.is_empty() && head.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return Some(match base {
            name if name.starts_with("alt") => ListFormat::OfacAlt,
            name if name.starts_with("add") => ListFormat::OfacAdd,
            name if name.contains("comments") => ListFormat::OfacComments,
            _ => ListFormat::OfacSdn,
        });
    }
    None
}
