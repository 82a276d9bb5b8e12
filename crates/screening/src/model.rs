//! The list model every parser produces and the index reads: one shape for OFAC, the UN and
//! OpenSanctions, so that storage keeps a list version as JSON and rebuilds the index from it
//! at start without the original files.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// One published version of one list, as imported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListVersion {
    /// The list's short name: `ofac-sdn`, `un-consolidated`, `opensanctions`. Matches carry it.
    pub name: String,
    /// Where it came from (a file name or URL, as the caller gives it), for the audit trail.
    pub source: String,
    /// The publication date the list states, when it states one.
    pub published: Option<NaiveDate>,
    pub entries: Vec<Entry>,
}

/// What kind of party an entry lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntryKind {
    Person,
    Organization,
    Vessel,
    Aircraft,
    Other,
}

/// How a name belongs to its entry: matches say which kind of name hit, because a hit on a
/// weak alias is worth less to the reviewer than one on the primary name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NameKind {
    /// The name the list files the entry under.
    Primary,
    /// A strong alias (`a.k.a.`, `f.k.a.`, `n.k.a.`, UN quality Good): as good as the primary.
    Alias,
    /// A weak alias (UN quality Low, OFAC `weak aka`): broad nicknames that produce noise.
    WeakAlias,
    /// The name written in its own script (UN NAME_ORIGINAL_SCRIPT, non-Latin FtM names).
    OriginalScript,
}

/// One name of an entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryName {
    pub text: String,
    pub kind: NameKind,
}

/// A date of birth as precise as the list gives it (lists often know only a year or a range).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BirthDate {
    /// A full date.
    Date(NaiveDate),
    /// A month of a year.
    YearMonth { year: i32, month: u32 },
    /// A year.
    Year(i32),
    /// About a year (`circa 1962`, UN APPROXIMATELY): taken as one year either side.
    Circa(i32),
    /// A range of years, both ends included (`1962 to 1964`, UN BETWEEN).
    Range { from: i32, to: i32 },
}

impl BirthDate {
    /// The years this date may fall in, both ends included.
    pub fn years(&self) -> (i32, i32) {
        match *self {
            BirthDate::Date(date) => (date.year(), date.year()),
            BirthDate::YearMonth { year, .. } | BirthDate::Year(year) => (year, year),
            BirthDate::Circa(year) => (year - 1, year + 1),
            BirthDate::Range { from, to } => (from.min(to), from.max(to)),
        }
    }

    /// Reads `1962`, `1962-11`, `1962-11-23` (ISO, as FtM and the benchmark sets write them).
    pub fn parse_iso(text: &str) -> Option<BirthDate> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [year] => Some(BirthDate::Year(year.parse().ok().filter(valid_year)?)),
            [year, month] => {
                let year = year.parse().ok().filter(valid_year)?;
                let month: u32 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
                Some(BirthDate::YearMonth { year, month })
            }
            [_, _, _] => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(BirthDate::Date),
            _ => None,
        }
    }
}

fn valid_year(year: &i32) -> bool {
    (1000..=2999).contains(year)
}

/// The gender a list states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// `Male`, `male`, `M`, `Female`, `F`...; anything else is no gender.
    pub fn parse(text: &str) -> Option<Gender> {
        match text.trim().to_ascii_lowercase().as_str() {
            "male" | "m" | "man" => Some(Gender::Male),
            "female" | "f" | "woman" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// An identity document number a list gives (passport, national ID...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identifier {
    /// As the list names it: `Passport`, `National ID No.`, `passportNumber`...
    pub kind: String,
    pub number: String,
    /// The issuing country as the list writes it, when given.
    pub country: Option<String>,
}

/// One listed party.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The list's own identifier: OFAC ent_num, UN REFERENCE_NUMBER, FtM id.
    pub id: String,
    pub kind: EntryKind,
    /// The primary name first, then aliases and original-script names.
    pub names: Vec<EntryName>,
    pub dates_of_birth: Vec<BirthDate>,
    pub places_of_birth: Vec<String>,
    /// ISO 3166-1 alpha-2 codes, upper case (normalised from the names lists write); a
    /// nationality no table knows is dropped rather than compared as free text.
    pub nationalities: Vec<String>,
    pub gender: Option<Gender>,
    /// Sanctions programmes or list types (OFAC `SDGT`, UN `Al-Qaida`, FtM topics).
    pub programmes: Vec<String>,
    pub remarks: Option<String>,
    pub identifiers: Vec<Identifier>,
    /// Addresses as one line each (OFAC `add.csv`, UN addresses, FtM `address`).
    pub addresses: Vec<String>,
}

impl Entry {
    /// A digest of everything the entry says (names, dates, programmes, remarks ...): equal
    /// while the list publishes the entry unchanged, different once any of it changes.
    pub fn version(&self) -> String {
        use sha2::{Digest, Sha256};
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        Sha256::digest(&bytes)
            .iter()
            .take(8)
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// An entry with only an identifier, a kind and a primary name; parsers fill the rest.
    pub fn new(id: impl Into<String>, kind: EntryKind, primary: impl Into<String>) -> Entry {
        Entry {
            id: id.into(),
            kind,
            names: vec![EntryName {
                text: primary.into(),
                kind: NameKind::Primary,
            }],
            dates_of_birth: Vec::new(),
            places_of_birth: Vec::new(),
            nationalities: Vec::new(),
            gender: None,
            programmes: Vec::new(),
            remarks: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
        }
    }

    /// The primary name (the first name of kind Primary, else the first name at all).
    pub fn primary_name(&self) -> &str {
        self.names
            .iter()
            .find(|name| name.kind == NameKind::Primary)
            .or(self.names.first())
            .map(|name| name.text.as_str())
            .unwrap_or("")
    }

    /// Adds a name unless the entry already has that exact text.
    pub fn add_name(&mut self, text: &str, kind: NameKind) {
        let text = text.trim();
        if text.is_empty() || self.names.iter().any(|name| name.text == text) {
            return;
        }
        self.names.push(EntryName {
            text: text.to_owned(),
            kind,
        });
    }

    /// Adds a nationality given as a country name or code, normalised to alpha-2.
    pub fn add_nationality(&mut self, text: &str) {
        if let Some(code) = crate::country::alpha2(text) {
            if !self.nationalities.iter().any(|known| known == code) {
                self.nationalities.push(code.to_owned());
            }
        }
    }

    pub(crate) fn add_birth_date(&mut self, date: BirthDate) {
        if !self.dates_of_birth.contains(&date) {
            self.dates_of_birth.push(date);
        }
    }
}

/// What a list holds, by kind and by name kind: the figures an operator checks after an import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListCounts {
    pub entries: usize,
    pub by_kind: BTreeMap<String, usize>,
    pub persons: usize,
    pub organizations: usize,
    /// Strong and weak aliases together.
    pub aliases: usize,
    pub weak_aliases: usize,
    pub original_script: usize,
}

impl ListVersion {
    /// Entries by kind and names by kind.
    pub fn counts(&self) -> ListCounts {
        let mut counts = ListCounts {
            entries: self.entries.len(),
            ..ListCounts::default()
        };
        for entry in &self.entries {
            *counts
                .by_kind
                .entry(format!("{:?}", entry.kind))
                .or_default() += 1;
            match entry.kind {
                EntryKind::Person => counts.persons += 1,
                EntryKind::Organization => counts.organizations += 1,
                _ => {}
            }
            for name in &entry.names {
                match name.kind {
                    NameKind::Alias => counts.aliases += 1,
                    NameKind::WeakAlias => {
                        counts.aliases += 1;
                        counts.weak_aliases += 1;
                    }
                    NameKind::OriginalScript => counts.original_script += 1,
                    NameKind::Primary => {}
                }
            }
        }
        counts
    }

    /// The entry with this identifier.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.id == id)
    }
}

/// What changed between two versions of a list, by entry identifier (each sorted).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListDiff {
    pub added: Vec<String>,
    /// Present in both with any field different.
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl ListDiff {
    /// The identifiers ongoing monitoring re-screens: added and changed entries (a removed
    /// entry cannot raise a new match).
    pub fn to_rescreen(&self) -> BTreeSet<String> {
        self.added.iter().chain(&self.changed).cloned().collect()
    }
}

/// Compares two versions of one list by entry identifier.
pub fn diff(previous: &ListVersion, next: &ListVersion) -> ListDiff {
    let before: BTreeMap<&str, &Entry> = previous
        .entries
        .iter()
        .map(|entry| (entry.id.as_str(), entry))
        .collect();
    let after: BTreeMap<&str, &Entry> = next
        .entries
        .iter()
        .map(|entry| (entry.id.as_str(), entry))
        .collect();
    let mut result = ListDiff::default();
    for (id, entry) in &after {
        match before.get(id) {
            None => result.added.push((*id).to_owned()),
            Some(old) if old != entry => result.changed.push((*id).to_owned()),
            Some(_) => {}
        }
    }
    for id in before.keys() {
        if !after.contains_key(id) {
            result.removed.push((*id).to_owned());
        }
    }
    result
}
