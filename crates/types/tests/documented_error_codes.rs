//! `docs/errors.md` lists exactly the codes of `ErrorCode`: a code added to the enum without a
//! line in the document, or documented but never sent, fails here.
//!
//! The document's codes are the backticked SCREAMING_SNAKE spans of its `## Codes` section (up
//! to the next `#` or `##` heading), wherever they stand in a line: a table, a list or prose. So
//! the section backticks nothing else in SCREAMING_SNAKE (write PREPARED_DATA, not in backticks).

use std::collections::BTreeSet;

use verifyd_types::ErrorCode;

const DOCUMENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/errors.md");

#[test]
fn the_documented_codes_are_exactly_the_enum() -> Result<(), String> {
    let text = std::fs::read_to_string(DOCUMENT)
        .map_err(|error| format!("{DOCUMENT} cannot be read ({error}): it lists the codes"))?;
    let documented = documented_codes(&text);
    let sent: BTreeSet<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    let undocumented: Vec<_> = sent.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&sent).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "docs/errors.md disagrees with ErrorCode: not documented {undocumented:?}, not codes {unknown:?}"
    );
    Ok(())
}

#[test]
fn the_reader_takes_every_backticked_code_of_the_codes_section_only() {
    let text = "# Errors\n\nSee `BEFORE_THE_SECTION`.\n\n## Codes\n\n\
                | Code | Status | When |\n|---|---|---|\n\
                | `PART_EXISTS` | 409 | the part exists (see `PART_EXISTS`) |\n\
                - `NOT_FOUND`: no route; `Retry-After` or `httpStatus` are no codes\n\
                Codes in use: `INVALID_ID`, `INVALID_JSON` (and `X_1`).\n\n\
                ### A subsection\n\n`MISSING_FILE`\n\n\
                ## Statuses\n\n| `FORBIDDEN` | 403 |\n";
    let expected = [
        "INVALID_ID",
        "INVALID_JSON",
        "MISSING_FILE",
        "NOT_FOUND",
        "PART_EXISTS",
        "X_1",
    ];
    assert_eq!(documented_codes(text), BTreeSet::from(expected));
}

/// The codes of the `## Codes` section.
fn documented_codes(text: &str) -> BTreeSet<&str> {
    text.lines()
        .skip_while(|line| line.trim() != "## Codes")
        .skip(1)
        .take_while(|line| !is_section_heading(line))
        .flat_map(|line| line.split('`').skip(1).step_by(2))
        .filter(|span| is_screaming_snake(span))
        .collect()
}

fn is_section_heading(line: &str) -> bool {
    line.starts_with("# ") || line.starts_with("## ")
}

fn is_screaming_snake(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_uppercase())
        && text
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}
