//! The UN Security Council consolidated list (`consolidated.xml`), read as a stream of XML
//! events: INDIVIDUALS and ENTITIES with their names, aliases, dates of birth and documents.

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::error::ImportError;
use crate::model::{BirthDate, Entry, EntryKind, Gender, Identifier, ListVersion, NameKind};

const WHAT: &str = "the UN consolidated list";

/// Reads the UN consolidated list XML.
pub fn parse(xml: &[u8]) -> Result<ListVersion, ImportError> {
    if xml.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty { what: WHAT.into() });
    }
    let mut reader = Reader::from_reader(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut root_seen = false;
    let mut root_closed = false;
    let mut published = None;
    let mut entries = Vec::new();
    let mut current: Option<Builder> = None;
    let mut group = Group::default();
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|error| {
            let line = line_of(xml, position as usize);
            if matches!(error, quick_xml::Error::Syntax(_)) && line_of(xml, xml.len()) <= line + 1 {
                ImportError::Truncated {
                    what: WHAT.into(),
                    message: format!("line {line}: {error}"),
                }
            } else {
                ImportError::Unparsable {
                    what: WHAT.into(),
                    record: line,
                    message: error.to_string(),
                }
            }
        })?;
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                if path.is_empty() {
                    if name != "CONSOLIDATED_LIST" {
                        return Err(wrong_format(&format!("root element <{name}>")));
                    }
                    root_seen = true;
                    for attribute in start.attributes().flatten() {
                        if attribute.key.as_ref() == b"dateGenerated" {
                            let value = String::from_utf8_lossy(&attribute.value).into_owned();
                            published = value
                                .get(..10)
                                .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok());
                        }
                    }
                }
                match name.as_str() {
                    "INDIVIDUAL" => current = Some(Builder::new(EntryKind::Person)),
                    "ENTITY" => current = Some(Builder::new(EntryKind::Organization)),
                    _ => {}
                }
                if name.ends_with("_ALIAS")
                    || name.ends_with("_DATE_OF_BIRTH")
                    || name.ends_with("_PLACE_OF_BIRTH")
                    || name.ends_with("_DOCUMENT")
                    || name.ends_with("_ADDRESS")
                {
                    group = Group::default();
                }
                path.push(name);
                text.clear();
            }
            Event::Empty(_) => {}
            Event::Text(content) => {
                let decoded = content.decode().map_err(|error| ImportError::Unparsable {
                    what: WHAT.into(),
                    record: line_of(xml, position as usize),
                    message: error.to_string(),
                })?;
                text.push_str(&decoded);
            }
            Event::CData(content) => text.push_str(&String::from_utf8_lossy(&content)),
            Event::GeneralRef(reference) => {
                if let Ok(Some(c)) = reference.resolve_char_ref() {
                    text.push(c);
                } else if let Ok(name) = reference.decode() {
                    if let Some(value) = quick_xml::escape::resolve_predefined_entity(&name) {
                        text.push_str(value);
                    }
                }
            }
            Event::End(_) => {
                let Some(name) = path.pop() else {
                    return Err(ImportError::Unparsable {
                        what: WHAT.into(),
                        record: line_of(xml, position as usize),
                        message: "a closing tag without an opening one".into(),
                    });
                };
                let value = text.trim().to_owned();
                text.clear();
                let parent = path.last().map(String::as_str).unwrap_or("");
                if let Some(builder) = current.as_mut() {
                    builder.element(&name, parent, value, &mut group);
                }
                if name == "INDIVIDUAL" || name == "ENTITY" {
                    if let Some(builder) = current.take() {
                        entries.push(builder.finish(|| line_of(xml, position as usize))?);
                    }
                }
                if path.is_empty() {
                    root_closed = true;
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !root_seen {
        return Err(wrong_format("no <CONSOLIDATED_LIST> element"));
    }
    if !root_closed || !path.is_empty() {
        return Err(ImportError::Truncated {
            what: WHAT.into(),
            message: format!("the file ends inside <{}>", path.join("><")),
        });
    }
    Ok(ListVersion {
        name: "un-consolidated".into(),
        source: "UN Security Council consolidated list XML".into(),
        published,
        entries,
    })
}

fn wrong_format(found: &str) -> ImportError {
    ImportError::WrongFormat {
        what: WHAT.into(),
        expected: "the UN consolidated list XML (<CONSOLIDATED_LIST>)".into(),
        found: found.into(),
    }
}

fn line_of(bytes: &[u8], position: usize) -> u64 {
    let end = position.min(bytes.len());
    bytes[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// The fields of the repeated group being read (an alias, a date of birth, a document...).
#[derive(Default)]
struct Group {
    fields: Vec<(String, String)>,
}

impl Group {
    fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(name, value)| name == key && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }
}

struct Builder {
    kind: EntryKind,
    dataid: String,
    reference: String,
    name_parts: [String; 4],
    original_script: Vec<String>,
    aliases: Vec<(String, NameKind)>,
    entry: Entry,
}

impl Builder {
    fn new(kind: EntryKind) -> Builder {
        Builder {
            kind,
            dataid: String::new(),
            reference: String::new(),
            name_parts: Default::default(),
            original_script: Vec::new(),
            aliases: Vec::new(),
            entry: Entry::new("", kind, ""),
        }
    }

    fn element(&mut self, name: &str, parent: &str, value: String, group: &mut Group) {
        let own = parent == "INDIVIDUAL" || parent == "ENTITY";
        match (own, name) {
            (true, "DATAID") => self.dataid = value,
            (true, "REFERENCE_NUMBER") => self.reference = value,
            (true, "FIRST_NAME") => self.name_parts[0] = value,
            (true, "SECOND_NAME") => self.name_parts[1] = value,
            (true, "THIRD_NAME") => self.name_parts[2] = value,
            (true, "FOURTH_NAME") => self.name_parts[3] = value,
            (true, "NAME_ORIGINAL_SCRIPT") if !value.is_empty() => self.original_script.push(value),
            (true, "UN_LIST_TYPE") if !value.is_empty() => self.entry.programmes.push(value),
            (true, "GENDER") => self.entry.gender = Gender::parse(&value),
            (true, "COMMENTS1") if !value.is_empty() => self.entry.remarks = Some(value),
            (false, "VALUE") if parent == "NATIONALITY" => self.entry.add_nationality(&value),
            (_, "INDIVIDUAL_ALIAS") | (_, "ENTITY_ALIAS") => {
                if let Some(alias) = group.get("ALIAS_NAME") {
                    let kind = match group.get("QUALITY").map(str::to_ascii_lowercase).as_deref() {
                        Some("low") => NameKind::WeakAlias,
                        _ => NameKind::Alias,
                    };
                    self.aliases.push((alias.to_owned(), kind));
                }
            }
            (_, "INDIVIDUAL_DATE_OF_BIRTH") => {
                if let Some(date) = birth_date(group) {
                    self.entry.add_birth_date(date);
                }
            }
            (_, "INDIVIDUAL_PLACE_OF_BIRTH") => {
                let place = joined(group, &["CITY", "STATE_PROVINCE", "COUNTRY"]);
                if !place.is_empty() {
                    self.entry.places_of_birth.push(place);
                }
            }
            (_, "INDIVIDUAL_ADDRESS") | (_, "ENTITY_ADDRESS") => {
                let address = joined(group, &["STREET", "CITY", "STATE_PROVINCE", "COUNTRY"]);
                if !address.is_empty() {
                    self.entry.addresses.push(address);
                }
            }
            (_, "INDIVIDUAL_DOCUMENT") => {
                if let Some(number) = group.get("NUMBER") {
                    self.entry.identifiers.push(Identifier {
                        kind: group
                            .get("TYPE_OF_DOCUMENT")
                            .unwrap_or("document")
                            .to_owned(),
                        number: number.to_owned(),
                        country: group
                            .get("ISSUING_COUNTRY")
                            .or(group.get("COUNTRY_OF_ISSUE"))
                            .map(str::to_owned),
                    });
                }
            }
            _ => group.fields.push((name.to_owned(), value)),
        }
    }

    fn finish(mut self, line: impl Fn() -> u64) -> Result<Entry, ImportError> {
        let primary = self
            .name_parts
            .iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let id = if self.reference.is_empty() {
            self.dataid.clone()
        } else {
            self.reference.clone()
        };
        if primary.is_empty() || id.is_empty() {
            return Err(ImportError::Unparsable {
                what: WHAT.into(),
                record: line(),
                message: format!("an {:?} without a name or a reference number", self.kind),
            });
        }
        let mut entry = std::mem::replace(&mut self.entry, Entry::new("", self.kind, ""));
        entry.id = id;
        entry.names.clear();
        entry.add_name(&primary, NameKind::Primary);
        for (alias, kind) in self.aliases {
            entry.add_name(&alias, kind);
        }
        for name in self.original_script {
            entry.add_name(&name, NameKind::OriginalScript);
        }
        Ok(entry)
    }
}

fn joined(group: &Group, keys: &[&str]) -> String {
    keys.iter()
        .filter_map(|key| group.get(key))
        .collect::<Vec<_>>()
        .join(", ")
}

fn birth_date(group: &Group) -> Option<BirthDate> {
    let kind = group
        .get("TYPE_OF_DATE")
        .unwrap_or("EXACT")
        .to_ascii_uppercase();
    let year = group.get("YEAR").and_then(|y| y.trim().parse::<i32>().ok());
    let date = group
        .get("DATE")
        .and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok());
    let from = group
        .get("FROM_YEAR")
        .and_then(|y| y.trim().parse::<i32>().ok());
    let to = group
        .get("TO_YEAR")
        .and_then(|y| y.trim().parse::<i32>().ok());
    match kind.as_str() {
        "BETWEEN" => match (from, to) {
            (Some(from), Some(to)) => Some(BirthDate::Range { from, to }),
            (Some(year), None) | (None, Some(year)) => Some(BirthDate::Year(year)),
            (None, None) => None,
        },
        "APPROXIMATELY" => date
            .map(|d| BirthDate::Circa(chrono::Datelike::year(&d)))
            .or(year.map(BirthDate::Circa)),
        _ => date.map(BirthDate::Date).or(year.map(BirthDate::Year)),
    }
}
