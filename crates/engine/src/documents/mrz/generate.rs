//! MRZs made from random fields, for the property tests. Written from ICAO 9303's field tables
//! directly, with string building rather than the parser's layout, so that the parser is checked
//! against an independent reading of the specification; only [`check_digit`] is shared, and the
//! specimen tests pin that to ICAO's own examples. The synthetic documents print them too.

use super::{check_digit, MrzDate, MrzFormat, Sex};

/// Marsaglia's xorshift32: reproducible randomness without a dependency.
pub(crate) struct XorShift(pub u32);

impl XorShift {
    pub fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        let span = high.saturating_sub(low) + 1;
        low + self.next() as usize % span
    }

    pub fn pick<T: Copy>(&mut self, items: &[T], default: T) -> T {
        let index = self.between(0, items.len().saturating_sub(1));
        items.get(index).copied().unwrap_or(default)
    }

    fn text(&mut self, alphabet: &[u8], length: usize) -> String {
        (0..length)
            .map(|_| char::from(self.pick(alphabet, b'<')))
            .collect()
    }
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const STATES: &[&str] = &["UTO", "D", "FRA", "NLD", "GBR", "XXX", "USA", "GBD"];

/// A generated MRZ and the fields it was made from.
#[derive(Debug, Clone)]
pub(crate) struct Generated {
    pub text: String,
    pub format: MrzFormat,
    pub document_code: String,
    pub issuing_state: String,
    pub surname: String,
    pub given_names: String,
    pub document_number: String,
    /// (line, column) from 0 of each character of the document number.
    pub document_number_cells: Vec<(usize, usize)>,
    pub nationality: String,
    pub birth_date: MrzDate,
    pub sex: Sex,
    pub expiry_date: MrzDate,
    pub optional_data_1: String,
    pub optional_data_2: String,
}

fn digit(field: &str) -> char {
    check_digit(field).map_or('?', |value| char::from(b'0' + value))
}

/// `text` followed by fillers up to `length`.
fn padded(text: &str, length: usize) -> String {
    format!("{text:<<length$}")
}

fn yymmdd(date: MrzDate) -> String {
    format!("{:02}{:02}{:02}", date.year % 100, date.month, date.day)
}

fn random_date(rng: &mut XorShift, first_year: u16, last_year: u16) -> MrzDate {
    let year = rng.between(usize::from(first_year), usize::from(last_year));
    let year = u16::try_from(year).unwrap_or(first_year);
    let month = u8::try_from(rng.between(1, 12)).unwrap_or(1);
    // Day 28 exists in every month; later days are retried.
    loop {
        let day = u8::try_from(rng.between(1, 31)).unwrap_or(1);
        if let Some(date) = MrzDate::new(year, month, day) {
            return date;
        }
    }
}

/// Surname and given names, the name field, and the names as the parser should give them.
fn random_names(rng: &mut XorShift, field_length: usize) -> (String, String, String) {
    let surname: Vec<String> = (0..rng.between(1, 2))
        .map(|_| {
            let length = rng.between(2, 9);
            rng.text(LETTERS, length)
        })
        .collect();
    let mut given: Vec<String> = (0..rng.between(0, 3))
        .map(|_| {
            let length = rng.between(1, 9);
            rng.text(LETTERS, length)
        })
        .collect();
    loop {
        let mut field = surname.join("<");
        if !given.is_empty() {
            field.push_str("<<");
            field.push_str(&given.join("<"));
        }
        if field.len() <= field_length || given.is_empty() {
            return (
                padded(&field, field_length),
                surname.join(" "),
                given.join(" "),
            );
        }
        given.pop();
    }
}

pub(crate) fn generate(rng: &mut XorShift, reference_year: u16) -> Generated {
    let format = rng.pick(
        &[
            MrzFormat::Td1,
            MrzFormat::Td2,
            MrzFormat::Td3,
            MrzFormat::MrvA,
            MrzFormat::MrvB,
        ],
        MrzFormat::Td3,
    );
    generate_as(rng, format, reference_year)
}

/// A person a rendered document is made out to, instead of random names and birth date: a
/// test that screens the holder against a real watchlist needs a listed person's document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// In the MRZ's letters (A-Z); words separated by spaces.
    pub surname: String,
    pub given_names: String,
    pub birth_date: MrzDate,
}

/// An MRZ of the given format, its fields random.
pub(crate) fn generate_as(rng: &mut XorShift, format: MrzFormat, reference_year: u16) -> Generated {
    generate_for(rng, format, reference_year, None)
}

/// As [`generate_as`], made out to `holder` when given; every other field is drawn as without
/// one, so a seed gives the same document around another person.
pub(crate) fn generate_for(
    rng: &mut XorShift,
    format: MrzFormat,
    reference_year: u16,
    holder: Option<&Holder>,
) -> Generated {
    let document_code = match format {
        MrzFormat::Td1 | MrzFormat::Td2 => rng.pick(&["I", "ID", "IR", "AC", "C"], "I"),
        MrzFormat::Td3 => rng.pick(&["P", "PO", "PD", "PE"], "P"),
        MrzFormat::MrvA | MrzFormat::MrvB => rng.pick(&["V", "VB", "VT"], "V"),
    };
    let issuing_state = rng.pick(STATES, "UTO");
    let nationality = rng.pick(STATES, "UTO");
    let line_length = match format {
        MrzFormat::Td1 => 30,
        MrzFormat::Td2 | MrzFormat::MrvB => 36,
        MrzFormat::Td3 | MrzFormat::MrvA => 44,
    };
    let names_length = if format == MrzFormat::Td1 {
        30
    } else {
        line_length - 5
    };
    let (mut names, mut surname, mut given_names) = random_names(rng, names_length);
    if let Some(holder) = holder {
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join("<");
        let mut field = words(&holder.surname);
        if !holder.given_names.trim().is_empty() {
            field.push_str("<<");
            field.push_str(&words(&holder.given_names));
        }
        field.truncate(names_length);
        names = padded(&field, names_length);
        surname = holder.surname.clone();
        given_names = holder.given_names.clone();
    }

    // A number over 9 characters is for TD1 and TD2 only, which continue it in optional data.
    let optional_length = match format {
        MrzFormat::Td1 => 15,
        MrzFormat::Td2 => 7,
        MrzFormat::Td3 => 14,
        MrzFormat::MrvA => 16,
        MrzFormat::MrvB => 8,
    };
    let long = matches!(format, MrzFormat::Td1 | MrzFormat::Td2) && rng.between(0, 3) == 0;
    let number_length = if long {
        rng.between(10, 9 + optional_length - 1)
    } else {
        rng.between(5, 9)
    };
    let number = rng.text(ALPHANUMERIC, number_length);
    let number_check = digit(&padded(&number, 9));
    let first_nine: String = number.chars().take(9).collect();
    let continuation: String = number.chars().skip(9).collect();
    let (number_field, optional_data_1, optional_field) = if long {
        let mut field = format!("{continuation}{number_check}");
        let room = optional_length.saturating_sub(field.len() + 1);
        let extra_length = rng.between(0, room);
        let extra = rng.text(ALPHANUMERIC, extra_length);
        if field.len() < optional_length {
            field.push('<');
        }
        field.push_str(&extra);
        (
            format!("{first_nine}<"),
            extra,
            padded(&field, optional_length),
        )
    } else {
        let length = rng.between(0, optional_length);
        let data = rng.text(ALPHANUMERIC, length);
        let field = padded(&data, optional_length);
        (format!("{}{number_check}", padded(&number, 9)), data, field)
    };
    let number_line = usize::from(format != MrzFormat::Td1);
    let number_start = if format == MrzFormat::Td1 { 5 } else { 0 };
    let mut document_number_cells: Vec<(usize, usize)> = (0..number_length.min(9))
        .map(|index| (number_line, number_start + index))
        .collect();
    let optional_start = if format == MrzFormat::Td1 { 15 } else { 28 };
    document_number_cells
        .extend((0..continuation.len()).map(|index| (number_line, optional_start + index)));

    let mut birth_date = random_date(rng, reference_year - 99, reference_year);
    if let Some(holder) = holder {
        birth_date = holder.birth_date;
    }
    let expiry_date = random_date(rng, reference_year - 20, reference_year + 30);
    let (sex_character, sex) = rng.pick(
        &[
            ('M', Sex::Male),
            ('F', Sex::Female),
            ('<', Sex::Unspecified),
            ('X', Sex::Unspecified),
        ],
        ('<', Sex::Unspecified),
    );
    let birth = yymmdd(birth_date);
    let expiry = yymmdd(expiry_date);
    let dates = format!(
        "{birth}{}{sex_character}{expiry}{}",
        digit(&birth),
        digit(&expiry)
    );
    let code = padded(document_code, 2);
    let issuer = padded(issuing_state, 3);
    let nation = padded(nationality, 3);

    let mut optional_data_2 = String::new();
    let lines = match format {
        MrzFormat::Td1 => {
            let length = rng.between(0, 11);
            optional_data_2 = rng.text(ALPHANUMERIC, length);
            let line1 = format!("{code}{issuer}{number_field}{optional_field}");
            let line2_start = format!("{dates}{nation}{}", padded(&optional_data_2, 11));
            let composite = format!(
                "{}{}{}{}",
                line1.get(5..30).unwrap_or_default(),
                line2_start.get(0..7).unwrap_or_default(),
                line2_start.get(8..15).unwrap_or_default(),
                line2_start.get(18..29).unwrap_or_default(),
            );
            vec![line1, format!("{line2_start}{}", digit(&composite)), names]
        }
        MrzFormat::Td2 | MrzFormat::Td3 => {
            let optional = if format == MrzFormat::Td3 {
                let check = if optional_data_1.is_empty() && rng.between(0, 1) == 0 {
                    '<'
                } else {
                    digit(&optional_field)
                };
                format!("{optional_field}{check}")
            } else {
                optional_field
            };
            let line2_start = format!("{number_field}{nation}{dates}{optional}");
            let composite = format!(
                "{}{}{}",
                line2_start.get(0..10).unwrap_or_default(),
                line2_start.get(13..20).unwrap_or_default(),
                line2_start.get(21..).unwrap_or_default(),
            );
            vec![
                format!("{code}{issuer}{names}"),
                format!("{line2_start}{}", digit(&composite)),
            ]
        }
        MrzFormat::MrvA | MrzFormat::MrvB => vec![
            format!("{code}{issuer}{names}"),
            format!("{number_field}{nation}{dates}{optional_field}"),
        ],
    };
    Generated {
        text: lines.join("\n"),
        format,
        document_code: document_code.to_owned(),
        issuing_state: issuing_state.to_owned(),
        surname,
        given_names,
        document_number: number,
        document_number_cells,
        nationality: nationality.to_owned(),
        birth_date,
        sex,
        expiry_date,
        optional_data_1,
        optional_data_2,
    }
}
