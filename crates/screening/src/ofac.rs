//! The OFAC SDN list in its published CSV files: `sdn.csv` (entries), `alt.csv` (aliases),
//! `add.csv` (addresses) and `sdn_comments.csv` (the overflow of long remarks). No header,
//! `-0-` for an empty field, CRLF line ends, and often a trailing 0x1A (DOS end-of-file) byte.
//! Dates and places of birth, nationalities, passports and gender sit in the free-text remarks.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::ImportError;
use crate::model::{BirthDate, Entry, EntryKind, Identifier, ListVersion, NameKind};

const SDN_FIELDS: usize = 12;
const ALT_FIELDS: usize = 5;
const ADD_FIELDS: usize = 6;
const COMMENT_FIELDS: usize = 2;

/// Reads an OFAC SDN set. Only `sdn` is required; without `alt` the aliases come from the
/// remarks (`a.k.a. 'NAME'`), which the 2024 single-file downloads carry.
pub fn parse(
    sdn: &[u8],
    alt: Option<&[u8]>,
    add: Option<&[u8]>,
    comments: Option<&[u8]>,
) -> Result<ListVersion, ImportError> {
    let rows = records("sdn.csv", sdn, SDN_FIELDS)?;
    let mut overflow: HashMap<String, String> = HashMap::new();
    if let Some(comments) = comments {
        for (_, row) in records("sdn_comments.csv", comments, COMMENT_FIELDS)? {
            if let (Some(id), Some(text)) = (field(&row, 0), field(&row, 1)) {
                overflow.entry(id).or_default().push_str(&text);
            }
        }
    }
    let mut entries = Vec::with_capacity(rows.len());
    let mut positions: HashMap<String, usize> = HashMap::new();
    for (record, row) in rows {
        let id = field(&row, 0).unwrap_or_default();
        if id.parse::<u64>().is_err() {
            return Err(if record == 1 {
                ImportError::WrongFormat {
                    what: "sdn.csv".into(),
                    expected: "an OFAC SDN CSV file (a numeric ent_num first)".into(),
                    found: format!("first field {:?}", truncate(&id, 40)),
                }
            } else {
                ImportError::Unparsable {
                    what: "sdn.csv".into(),
                    record,
                    message: format!("ent_num {:?} is not a number", truncate(&id, 40)),
                }
            });
        }
        let name = field(&row, 1).unwrap_or_default();
        if name.is_empty() {
            return Err(ImportError::Unparsable {
                what: "sdn.csv".into(),
                record,
                message: format!("entry {id} has no name"),
            });
        }
        let kind = match field(&row, 2)
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("individual") => EntryKind::Person,
            Some("vessel") => EntryKind::Vessel,
            Some("aircraft") => EntryKind::Aircraft,
            None => EntryKind::Organization,
            Some(_) => EntryKind::Other,
        };
        let mut entry = Entry::new(id.clone(), kind, name);
        if let Some(programmes) = field(&row, 3) {
            entry.programmes = programmes
                .split(['[', ']'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect();
        }
        let mut remarks = field(&row, 11).unwrap_or_default();
        if let Some(more) = overflow.remove(&id) {
            remarks.push_str(&more);
        }
        read_remarks(&mut entry, &remarks, alt.is_none());
        entry.remarks = (!remarks.is_empty()).then_some(remarks);
        positions.insert(id, entries.len());
        entries.push(entry);
    }
    if let Some(alt) = alt {
        for (record, row) in records("alt.csv", alt, ALT_FIELDS)? {
            let id = field(&row, 0).unwrap_or_default();
            let Some(&position) = positions.get(&id) else {
                continue;
            };
            let Some(name) = field(&row, 3) else {
                continue;
            };
            let remarks = field(&row, 4).unwrap_or_default().to_ascii_lowercase();
            let kind = if remarks.contains("weak") {
                NameKind::WeakAlias
            } else {
                NameKind::Alias
            };
            if let Some(entry) = entries.get_mut(position) {
                entry.add_name(&name, kind);
            } else {
                return Err(ImportError::Unparsable {
                    what: "alt.csv".into(),
                    record,
                    message: "alias of an unknown entry".into(),
                });
            }
        }
    }
    if let Some(add) = add {
        for (_, row) in records("add.csv", add, ADD_FIELDS)? {
            let id = field(&row, 0).unwrap_or_default();
            let Some(entry) = positions.get(&id).and_then(|&at| entries.get_mut(at)) else {
                continue;
            };
            let line: Vec<String> = (2..5).filter_map(|at| field(&row, at)).collect();
            if !line.is_empty() {
                entry.addresses.push(line.join(", "));
            }
        }
    }
    Ok(ListVersion {
        name: "ofac-sdn".into(),
        source: "OFAC SDN CSV".into(),
        published: None,
        entries,
    })
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The non-empty value of a field (`-0-` and blanks are empty).
fn field(row: &csv::StringRecord, at: usize) -> Option<String> {
    let value = row.get(at)?.trim();
    (value != "-0-" && !value.is_empty()).then(|| value.to_owned())
}

/// Every record of one OFAC CSV file with its 1-based record number, each checked for its
/// field count (a short row is what a cut download leaves).
fn records(
    what: &str,
    bytes: &[u8],
    fields: usize,
) -> Result<Vec<(u64, csv::StringRecord)>, ImportError> {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], 0x1a | b'\r' | b'\n' | b' ' | b'\t' | 0) {
        end -= 1;
    }
    let bytes = &bytes[..end];
    if bytes.is_empty() {
        return Err(ImportError::Empty { what: what.into() });
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if matches!(first, Some(b'<') | Some(b'{') | Some(b'[')) {
        return Err(ImportError::WrongFormat {
            what: what.into(),
            expected: "an OFAC CSV file".into(),
            found: "XML or JSON".into(),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    for (index, result) in reader.records().enumerate() {
        let record = index as u64 + 1;
        let row = result.map_err(|error| ImportError::Unparsable {
            what: what.into(),
            record,
            message: error.to_string(),
        })?;
        if row.len() != fields {
            let last = record as usize
                == bytes
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .count();
            let message = format!("record {record} has {} fields, not {fields}", row.len());
            return Err(if last && row.len() < fields {
                ImportError::Truncated {
                    what: what.into(),
                    message,
                }
            } else if record == 1 {
                ImportError::WrongFormat {
                    what: what.into(),
                    expected: format!("an OFAC CSV file of {fields} fields a row"),
                    found: format!("{} fields", row.len()),
                }
            } else {
                ImportError::Unparsable {
                    what: what.into(),
                    record,
                    message,
                }
            });
        }
        out.push((record, row));
    }
    Ok(out)
}

/// Reads the `; `-separated facts of the remarks column into the entry.
fn read_remarks(entry: &mut Entry, remarks: &str, aliases_from_remarks: bool) {
    for segment in remarks.split(';') {
        let segment = segment.trim().trim_end_matches('.').trim();
        let plain = segment.strip_prefix("alt. ").unwrap_or(segment);
        if let Some(value) = plain.strip_prefix("DOB ") {
            for date in parse_dob(value) {
                entry.add_birth_date(date);
            }
        } else if let Some(value) = plain.strip_prefix("POB ") {
            entry.places_of_birth.push(value.trim().to_owned());
        } else if let Some(value) = plain
            .strip_prefix("nationality ")
            .or_else(|| plain.strip_prefix("citizen "))
        {
            entry.add_nationality(value);
        } else if let Some(value) = plain.strip_prefix("Gender ") {
            entry.gender = crate::model::Gender::parse(value);
        } else if let Some(value) = plain.strip_prefix("Passport ") {
            entry.identifiers.push(identifier("Passport", value));
        } else if let Some(value) = plain.strip_prefix("National ID No. ") {
            entry.identifiers.push(identifier("National ID No.", value));
        } else if aliases_from_remarks {
            for prefix in ["a.k.a. ", "f.k.a. ", "n.k.a. "] {
                if let Some(value) = segment.strip_prefix(prefix) {
                    let name = value.trim().trim_matches(|c| c == '\'' || c == '"');
                    entry.add_name(name, NameKind::Alias);
                }
            }
        }
    }
}

fn identifier(kind: &str, value: &str) -> Identifier {
    let value = value.trim();
    let (number, country) = match value.find('(') {
        Some(open) => (
            value[..open].trim(),
            Some(value[open + 1..].trim_end_matches(')').trim().to_owned()),
        ),
        None => (value, None),
    };
    Identifier {
        kind: kind.to_owned(),
        number: number.to_owned(),
        country,
    }
}

/// Reads OFAC's date-of-birth forms: `1962`, `Nov 1962`, `23 Nov 1962`, `1962 to 1964`,
/// `01 Jan 1962 to 31 Dec 1964`, `circa 1962`. An unreadable form gives nothing rather than a
/// guess.
pub fn parse_dob(text: &str) -> Vec<BirthDate> {
    let text = text.trim().trim_end_matches('.').trim();
    if let Some(rest) = text.strip_prefix("circa ") {
        return parse_single(rest)
            .map(|date| {
                let (year, _) = date.years();
                vec![BirthDate::Circa(year)]
            })
            .unwrap_or_default();
    }
    if let Some((from, to)) = text.split_once(" to ") {
        if let (Some(from), Some(to)) = (parse_single(from), parse_single(to)) {
            return vec![BirthDate::Range {
                from: from.years().0,
                to: to.years().1,
            }];
        }
        return Vec::new();
    }
    parse_single(text).into_iter().collect()
}

fn parse_single(text: &str) -> Option<BirthDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        [year] => year.parse().ok().map(BirthDate::Year),
        [month, year] => Some(BirthDate::YearMonth {
            year: year.parse().ok()?,
            month: month_number(month)?,
        }),
        [day, month, year] => {
            NaiveDate::from_ymd_opt(year.parse().ok()?, month_number(month)?, day.parse().ok()?)
                .map(BirthDate::Date)
        }
        _ => None,
    }
}

fn month_number(text: &str) -> Option<u32> {
    let lower = text.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|month| lower.starts_with(month))
        .map(|at| at as u32 + 1)
}
