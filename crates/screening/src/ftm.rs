//! OpenSanctions entities in FollowTheMoney JSON lines (`entities.ftm.json`), and their delta
//! files (`{"op":"ADD"|"MOD"|"DEL","entity":{...}}`) that move a stored version forward
//! without a full download.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::ImportError;
use crate::model::{BirthDate, Entry, EntryKind, Gender, Identifier, ListVersion, NameKind};

const WHAT: &str = "the FollowTheMoney entities file";

/// Reads FtM entities, one JSON object a line. Entities of schemas that are not parties
/// (Address, Sanction, Ownership...) are skipped: they are the graph around the parties.
pub fn parse(json_lines: &[u8]) -> Result<ListVersion, ImportError> {
    let lines = json_objects(WHAT, json_lines, false)?;
    let mut entries = Vec::new();
    for (line, value) in lines {
        if let Some(entry) = entity(&value, line)? {
            entries.push(entry);
        }
    }
    Ok(ListVersion {
        name: "opensanctions".into(),
        source: "OpenSanctions FollowTheMoney entities".into(),
        published: None,
        entries,
    })
}

/// Applies one delta file to a version. An empty delta file is a valid "nothing changed".
/// ADD and MOD replace the entity whole (FtM deltas carry the full entity), DEL removes it.
pub fn apply_delta(base: &ListVersion, delta_lines: &[u8]) -> Result<ListVersion, ImportError> {
    let mut next = base.clone();
    let lines = json_objects("the FollowTheMoney delta file", delta_lines, true)?;
    let mut positions: HashMap<String, usize> = next
        .entries
        .iter()
        .enumerate()
        .map(|(at, entry)| (entry.id.clone(), at))
        .collect();
    let mut removed = vec![false; next.entries.len()];
    for (line, value) in lines {
        let op = value.get("op").and_then(Value::as_str).unwrap_or_default();
        let Some(entity_value) = value.get("entity") else {
            return Err(ImportError::Delta {
                line,
                message: "no entity".into(),
            });
        };
        let id = entity_value
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if id.is_empty() {
            return Err(ImportError::Delta {
                line,
                message: "an entity without an id".into(),
            });
        }
        match op {
            "ADD" | "MOD" => {
                let Some(entry) = entity(entity_value, line)? else {
                    continue;
                };
                match positions.get(&id) {
                    Some(&at) => {
                        if let (Some(slot), Some(gone)) =
                            (next.entries.get_mut(at), removed.get_mut(at))
                        {
                            *slot = entry;
                            *gone = false;
                        }
                    }
                    None => {
                        positions.insert(id, next.entries.len());
                        next.entries.push(entry);
                        removed.push(false);
                    }
                }
            }
            "DEL" => {
                if let Some(&at) = positions.get(&id) {
                    if let Some(gone) = removed.get_mut(at) {
                        *gone = true;
                    }
                }
            }
            other => {
                return Err(ImportError::Delta {
                    line,
                    message: format!("unknown op {other:?} (ADD, MOD or DEL)"),
                })
            }
        }
    }
    let mut keep = removed.iter().map(|gone| !gone);
    next.entries.retain(|_| keep.next().unwrap_or(true));
    Ok(next)
}

/// The JSON objects of a JSON-lines file with their 1-based line numbers.
fn json_objects(
    what: &str,
    bytes: &[u8],
    empty_allowed: bool,
) -> Result<Vec<(u64, Value)>, ImportError> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<(u64, &str)> = text
        .lines()
        .enumerate()
        .map(|(at, line)| (at as u64 + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty())
        .collect();
    if lines.is_empty() {
        if empty_allowed {
            return Ok(Vec::new());
        }
        return Err(ImportError::Empty { what: what.into() });
    }
    let last = lines.last().map(|(line, _)| *line).unwrap_or(0);
    let mut out = Vec::with_capacity(lines.len());
    for (line, content) in lines {
        if !content.starts_with('{') {
            return Err(if line == 1 {
                ImportError::WrongFormat {
                    what: what.into(),
                    expected: "JSON lines of FollowTheMoney entities".into(),
                    found: format!(
                        "a line starting {:?}",
                        content.chars().take(20).collect::<String>()
                    ),
                }
            } else {
                ImportError::Unparsable {
                    what: what.into(),
                    record: line,
                    message: "not a JSON object".into(),
                }
            });
        }
        let value: Value = serde_json::from_str(content).map_err(|error| {
            if error.is_eof() && line == last {
                ImportError::Truncated {
                    what: what.into(),
                    message: format!("line {line} ends inside a JSON object"),
                }
            } else {
                ImportError::Unparsable {
                    what: what.into(),
                    record: line,
                    message: error.to_string(),
                }
            }
        })?;
        out.push((line, value));
    }
    Ok(out)
}

fn strings<'a>(properties: &'a Value, key: &str) -> Vec<&'a str> {
    properties
        .get(key)
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// True when a name has letters outside Latin (the original script of a transliterated name).
fn non_latin(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_alphabetic() && !(c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c)))
}

fn entity(value: &Value, line: u64) -> Result<Option<Entry>, ImportError> {
    let id = value.get("id").and_then(Value::as_str).unwrap_or_default();
    let schema = value
        .get("schema")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind = match schema {
        "Person" => EntryKind::Person,
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => EntryKind::Organization,
        "Vessel" => EntryKind::Vessel,
        "Airplane" => EntryKind::Aircraft,
        _ => return Ok(None),
    };
    let empty = Value::Null;
    let properties = value.get("properties").unwrap_or(&empty);
    let names = strings(properties, "name");
    let caption = value.get("caption").and_then(Value::as_str);
    let primary = caption
        .filter(|caption| !caption.is_empty())
        .or(names.first().copied())
        .unwrap_or_default();
    if id.is_empty() || primary.is_empty() {
        return Err(ImportError::Unparsable {
            what: WHAT.into(),
            record: line,
            message: format!("entity {id:?} has no id or no name"),
        });
    }
    let mut entry = Entry::new(id, kind, primary);
    for name in names.iter().chain(&strings(properties, "previousName")) {
        let kind = if non_latin(name) {
            NameKind::OriginalScript
        } else {
            NameKind::Alias
        };
        entry.add_name(name, kind);
    }
    for name in strings(properties, "alias") {
        entry.add_name(name, NameKind::Alias);
    }
    for name in strings(properties, "weakAlias") {
        entry.add_name(name, NameKind::WeakAlias);
    }
    for date in strings(properties, "birthDate") {
        if let Some(date) = BirthDate::parse_iso(date) {
            entry.add_birth_date(date);
        }
    }
    entry.places_of_birth = strings(properties, "birthPlace")
        .into_iter()
        .map(str::to_owned)
        .collect();
    for country in strings(properties, "nationality")
        .into_iter()
        .chain(strings(properties, "citizenship"))
    {
        entry.add_nationality(country);
    }
    entry.gender = strings(properties, "gender")
        .first()
        .and_then(|g| Gender::parse(g));
    entry.programmes = strings(properties, "programId")
        .into_iter()
        .chain(strings(properties, "topics"))
        .map(str::to_owned)
        .collect();
    let notes = strings(properties, "notes");
    entry.remarks = (!notes.is_empty()).then(|| notes.join(" "));
    for (key, label) in [
        ("passportNumber", "Passport"),
        ("idNumber", "ID number"),
        ("taxNumber", "Tax number"),
        ("registrationNumber", "Registration number"),
        ("imoNumber", "IMO number"),
    ] {
        for number in strings(properties, key) {
            entry.identifiers.push(Identifier {
                kind: label.into(),
                number: number.into(),
                country: None,
            });
        }
    }
    entry.addresses = strings(properties, "address")
        .into_iter()
        .map(str::to_owned)
        .collect();
    Ok(Some(entry))
}
