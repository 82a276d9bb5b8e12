//! Fields that hold letters and digits alike (the document number, TD3's personal number) cannot
//! be coerced by class: in a document number an 'O' is as legal as a '0'. When such a field
//! fails its check digit, the readings that the OCR confusions allow are tried, and one is kept
//! only if it is the single reading that satisfies the field's check digit and, where the format
//! has one, the composite check digit. When OCR made only those confusions, the true reading is
//! among those tried and satisfies both, so a single satisfying reading is the true one; when
//! several satisfy, none is chosen and the field is reported ambiguous. Where all confusions
//! together give too many readings to try (a number full of zeros), swaps of O and 0 alone are
//! tried, the recogniser's one frequent confusion, and a single satisfying reading among them is
//! kept.
//!
//! The glyph reader adds its own uncertainty: a cell whose runner-up template matched almost as
//! well as the best ([`Doubts`]) may be either, whatever the confusion table says (an 'M' for a
//! blurred '8', a 'Y' for a 'T'). Those second choices are tried the same way, in every field
//! with a check digit, dates and check digits included, and under the same rule: a reading is
//! kept only when it is the single one that satisfies the check digits. Names have no check
//! digit, so nothing can decide a doubt there.
//!
//! When OCR made another mistake (a '3' for an '8'), the true reading is not among those tried,
//! and one of them may still satisfy the check digit by chance: one reading in ten does. Such a
//! correction is reported like any other. The composite does not help much there: the document
//! number and TD3's personal number sit where the composite's weights line up with the field's
//! own, so every reading satisfying the field's check digit adds the same to the composite. It
//! does catch most misread check digits (all but those off by 5), and tells apart readings
//! that differ in the continuation of a long TD1 number, which sits one weight further on.

use super::check_digit::value;
use super::checked_field::{composite_passes, CheckedField};
use super::confusion::{as_digit, lookalikes};
use super::grid::{bytes_at, set_at, Grid};
use super::layout::{Cell, Composite};
use super::report::{Field, FieldProblem};

/// Per line and column, the characters the reader found almost as likely as the one it read;
/// empty where it was sure, and everywhere for a text from a reader that does not say.
#[derive(Debug, Clone, Default)]
pub(super) struct Doubts {
    lines: Vec<Vec<Vec<u8>>>,
}

impl Doubts {
    pub fn new(lines: Vec<Vec<Vec<u8>>>) -> Self {
        Self { lines }
    }

    pub fn at(&self, cell: Cell) -> &[u8] {
        self.lines
            .get(cell.line)
            .and_then(|line| line.get(cell.column))
            .map_or(&[], Vec::as_slice)
    }
}

/// What a cell of a field may hold, as read first: `byte`, then the other readings tried.
type Choices<'a> = dyn Fn(Cell, u8) -> Vec<u8> + 'a;

/// Readings of one field tried at most; past this, the field is left as read.
const MAX_READINGS: usize = 256;
/// Combinations of the fields' satisfying readings tried against the composite at most.
const MAX_COMBINATIONS: usize = 4096;

/// The characters to write for one reading of a field.
type Substitutions = Vec<(Cell, u8)>;

/// What `byte` may have been printed as, as read first. Lookalikes whose value differs from
/// the byte's by a multiple of 10 (6 and G: 6 and 16) are left out: no check digit tells them
/// apart, so trying them would only make every reading ambiguous.
fn choices(byte: u8) -> Vec<u8> {
    let value = |byte: u8| value(byte).map(|value| value % 10);
    let mut choices = vec![byte];
    choices.extend(
        lookalikes(byte)
            .iter()
            .filter(|&&other| value(other) != value(byte)),
    );
    choices
}

/// Only O and 0 for each other: the PP-OCR recogniser's one frequent confusion in OCR-B, where
/// the two glyphs differ by a hair. Its readings are few (2 per O or 0 against 4 with D and Q),
/// so a field full of zeros stays within [`MAX_READINGS`].
fn o_or_zero(byte: u8) -> Vec<u8> {
    match byte {
        b'0' => vec![b'0', b'O'],
        b'O' => vec![b'O', b'0'],
        other => vec![other],
    }
}

/// The readings of `field`, other than as read, that satisfy its check digit, each character
/// taking the values `choices` gives; `None` when it has more than [`MAX_READINGS`] readings.
fn satisfying_readings(
    lines: &[Vec<u8>],
    field: &CheckedField,
    choices: &Choices<'_>,
) -> Option<Vec<Substitutions>> {
    // The check digit last, as one more cell of the reading.
    let cells: Vec<Cell> = field.data.iter().copied().chain([field.check]).collect();
    let read = bytes_at(lines, cells.iter().copied());
    let choices: Vec<Vec<u8>> = cells
        .iter()
        .zip(&read)
        .map(|(&cell, &byte)| choices(cell, byte))
        .collect();
    let total = choices.iter().try_fold(1usize, |total, options| {
        total
            .checked_mul(options.len())
            .filter(|&total| total <= MAX_READINGS)
    })?;
    let mut reading = read.clone();
    let mut found = Vec::new();
    // Reading 0 is the one read, which failed.
    for number in 1..total {
        let mut rest = number;
        for (slot, options) in reading.iter_mut().zip(&choices) {
            let count = options.len().max(1);
            *slot = options.get(rest % count).copied().unwrap_or(b'<');
            rest /= count;
        }
        let (data, check) = reading.split_at(reading.len().saturating_sub(1));
        if field.verifies(data, check.first().copied().unwrap_or(b'<')) {
            let substitutions = cells
                .iter()
                .zip(reading.iter().zip(&read))
                .filter(|(_, (new, old))| new != old)
                .map(|(&cell, (&new, _))| (cell, new))
                .collect();
            found.push(substitutions);
        }
    }
    Some(found)
}

/// For each field, which of its `options` appear in a combination that satisfies the composite;
/// `None` when there are more than [`MAX_COMBINATIONS`] combinations.
fn allowed_by_composite(
    lines: &[Vec<u8>],
    options: &[Vec<Substitutions>],
    composite: &Composite,
) -> Option<Vec<Vec<usize>>> {
    let total = options.iter().try_fold(1usize, |total, field_options| {
        total
            .checked_mul(field_options.len())
            .filter(|&total| total <= MAX_COMBINATIONS)
    })?;
    let mut allowed = vec![Vec::new(); options.len()];
    for number in 0..total {
        let mut trial = lines.to_vec();
        let mut picks = Vec::with_capacity(options.len());
        let mut rest = number;
        for field_options in options {
            let count = field_options.len().max(1);
            let pick = rest % count;
            rest /= count;
            for &(cell, byte) in field_options.get(pick).into_iter().flatten() {
                set_at(&mut trial, cell, byte);
            }
            picks.push(pick);
        }
        if composite_passes(&trial, composite) {
            for (field_allowed, pick) in allowed.iter_mut().zip(picks) {
                if !field_allowed.contains(&pick) {
                    field_allowed.push(pick);
                }
            }
        }
    }
    Some(allowed)
}

/// Whether `field` holds digits only (a date), rather than letters and digits alike.
fn digits_only(field: &CheckedField) -> bool {
    matches!(field.field, Field::BirthDate | Field::ExpiryDate)
}

/// The reader's doubts at `cell` that `field` can hold there, other than `byte` and than
/// those `also` already lists, as the class of the cell makes them (a 'B' in a date is an
/// 8). Those whose value differs from the byte's by a multiple of 10 are left out, like
/// the lookalikes of [`choices`].
fn doubted(doubts: &Doubts, field: &CheckedField, cell: Cell, byte: u8, also: &[u8]) -> Vec<u8> {
    let digit = digits_only(field) || cell == field.check;
    let value = |byte: u8| value(byte).map(|value| value % 10);
    let mut found: Vec<u8> = Vec::new();
    for &other in doubts.at(cell) {
        let other = if digit && !other.is_ascii_digit() {
            match as_digit(other) {
                Some(other) => other,
                None => continue,
            }
        } else {
            other
        };
        if other != byte
            && value(other) != value(byte)
            && !also.contains(&other)
            && !found.contains(&other)
        {
            found.push(other);
        }
    }
    found
}

/// Corrects each of `fields` that fails its check digit when a single reading of it satisfies
/// the check digits; reports those with several, or with too many to try. The readings are
/// those the OCR confusions allow in the fields of letters and digits, and in every field those
/// the reader's `doubts` add.
pub(super) fn resolve(
    grid: &mut Grid,
    fields: &[&CheckedField],
    composite: Option<&Composite>,
    doubts: &Doubts,
) {
    // Per field, the readings still in play: only the one read, unless it was searched.
    let mut options: Vec<Vec<Substitutions>> = Vec::with_capacity(fields.len());
    let mut searched = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let mut field_options = vec![Vec::new()];
        if !field.passes(grid.lines()) {
            // Every confusion first; where they are too many to try, O/0 swaps alone, and a
            // single reading that way is kept.
            let with = |confusions: fn(u8) -> Vec<u8>| {
                move |cell: Cell, byte: u8| {
                    let mut tried = if digits_only(field) || cell == field.check {
                        vec![byte]
                    } else {
                        confusions(byte)
                    };
                    let more = doubted(doubts, field, cell, byte, &tried);
                    tried.extend(more);
                    tried
                }
            };
            let all = satisfying_readings(grid.lines(), field, &with(choices)).or_else(|| {
                satisfying_readings(grid.lines(), field, &with(o_or_zero))
                    .filter(|found| found.len() == 1)
            });
            match all {
                None => grid.report(FieldProblem::TooManyConfusables { field: field.field }),
                Some(found) if !found.is_empty() => {
                    field_options = found;
                    searched.push(index);
                }
                Some(_) => {}
            }
        }
        options.push(field_options);
    }
    if searched.is_empty() {
        return;
    }
    let allowed = match composite {
        None => options
            .iter()
            .map(|field_options| (0..field_options.len()).collect())
            .collect(),
        Some(composite) => match allowed_by_composite(grid.lines(), &options, composite) {
            Some(allowed) => allowed,
            None => {
                for &index in &searched {
                    if let Some(field) = fields.get(index) {
                        grid.report(FieldProblem::TooManyConfusables { field: field.field });
                    }
                }
                return;
            }
        },
    };
    for index in searched {
        let (Some(field), Some(field_options), Some(field_allowed)) =
            (fields.get(index), options.get(index), allowed.get(index))
        else {
            continue;
        };
        match field_allowed.as_slice() {
            [] => {}
            [only] => {
                for &(cell, byte) in field_options.get(*only).into_iter().flatten() {
                    grid.correct(cell, byte, field.field);
                }
            }
            several => grid.report(FieldProblem::AmbiguousCorrection {
                field: field.field,
                candidates: several.len(),
            }),
        }
    }
}

/// When every field passes its check digit and the composite alone fails, the composite's own
/// check digit may be the misread: the reader's doubts there (as digits) are tried, and a single
/// one that satisfies the composite is kept.
pub(super) fn resolve_composite_check(
    grid: &mut Grid,
    fields: &[&CheckedField],
    composite: &Composite,
    doubts: &Doubts,
) {
    if composite_passes(grid.lines(), composite)
        || fields.iter().any(|field| !field.passes(grid.lines()))
    {
        return;
    }
    let read = grid.byte(composite.check);
    let satisfying: Vec<u8> = doubts
        .at(composite.check)
        .iter()
        .filter_map(|&other| {
            if other.is_ascii_digit() {
                Some(other)
            } else {
                as_digit(other)
            }
        })
        .filter(|&digit| digit != read)
        .filter(|&digit| {
            let mut trial = grid.lines().to_vec();
            set_at(&mut trial, composite.check, digit);
            composite_passes(&trial, composite)
        })
        .collect();
    if let [digit] = satisfying.as_slice() {
        grid.correct(composite.check, *digit, Field::Composite);
    }
}

/// O/0 cells of optional data tried at most (2 readings each) against the composite.
const MAX_OPTIONAL_SWAPS: usize = 10;

/// The optional data of TD1 and TD2 has no check digit of its own, only the composite's, and
/// no field type either: an O read as 0 there leaves the composite failing with every other
/// check passing. Then the readings that swap O and 0 in that data (the glyph reader's and the
/// recogniser's one frequent confusion) are tried, and a single one satisfying the composite is
/// kept; several are reported as ambiguous. `optional` are the cells of optional data, each
/// with its field.
pub(super) fn resolve_optional_data(
    grid: &mut Grid,
    fields: &[&CheckedField],
    optional: &[(Cell, Field)],
    composite: &Composite,
) {
    if composite_passes(grid.lines(), composite)
        || fields.iter().any(|field| !field.passes(grid.lines()))
    {
        return;
    }
    let round: Vec<(Cell, Field, u8)> = optional
        .iter()
        .filter(|(cell, _)| composite.cells().any(|covered| covered == *cell))
        .filter_map(|&(cell, field)| {
            let byte = grid.byte(cell);
            matches!(byte, b'O' | b'0').then_some((cell, field, byte))
        })
        .collect();
    if round.is_empty() || round.len() > MAX_OPTIONAL_SWAPS {
        return;
    }
    let swapped = |byte: u8| if byte == b'O' { b'0' } else { b'O' };
    let mut satisfying = Vec::new();
    for mask in 1u32..(1 << round.len()) {
        let mut trial = grid.lines().to_vec();
        for (bit, &(cell, _, byte)) in round.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                set_at(&mut trial, cell, swapped(byte));
            }
        }
        if composite_passes(&trial, composite) {
            satisfying.push(mask);
        }
    }
    match satisfying.as_slice() {
        [] => {}
        [mask] => {
            for (bit, &(cell, field, byte)) in round.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    grid.correct(cell, swapped(byte), field);
                }
            }
        }
        several => {
            let mut fields: Vec<Field> = round.iter().map(|r| r.1).collect();
            fields.dedup();
            for field in fields {
                grid.report(FieldProblem::AmbiguousCorrection {
                    field,
                    candidates: several.len(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_follow_the_confusions_check_digits_can_see() {
        assert_eq!(choices(b'0'), b"0ODQ");
        assert_eq!(choices(b'B'), b"B8");
        assert_eq!(choices(b'A'), b"A");
        assert_eq!(choices(b'<'), b"<");
        // 6 and G are worth 6 and 16.
        assert_eq!(choices(b'6'), b"6");
        assert_eq!(choices(b'G'), b"G");
    }
}

#[cfg(test)]
mod doubt_tests {
    use super::super::parse::{parse, parse_doubting};
    use super::Doubts;

    /// ICAO's TD1 example (Doc 9303 part 5, appendix): every check digit passes.
    const TD1: [&str; 3] = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ];

    /// `TD1` with `changes` (line, column, read) made, and the reader's doubt at each.
    fn misread(changes: &[(usize, usize, u8, u8)]) -> (String, Doubts) {
        let mut lines: Vec<Vec<u8>> = TD1.iter().map(|l| l.as_bytes().to_vec()).collect();
        let mut doubts: Vec<Vec<Vec<u8>>> =
            lines.iter().map(|l| vec![Vec::new(); l.len()]).collect();
        for &(line, column, read, doubt) in changes {
            if let Some(cell) = lines.get_mut(line).and_then(|l| l.get_mut(column)) {
                *cell = read;
            }
            if let Some(cell) = doubts.get_mut(line).and_then(|l| l.get_mut(column)) {
                cell.push(doubt);
            }
        }
        let text: Vec<String> = lines
            .into_iter()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect();
        (text.join("\n"), Doubts::new(doubts))
    }

    #[test]
    fn a_second_choice_that_alone_satisfies_a_date_check_digit_is_taken() {
        // The birth date's 8 read as 3 (a blurred 8's left side), with 8 a close second.
        let (text, doubts) = misread(&[(1, 3, b'3', b'8')]);
        let unaided = parse(&text, 2025).ok();
        assert!(unaided.is_some_and(|m| !m.checks.birth_date));
        let mrz = parse_doubting(&text, 2025, &doubts).ok();
        assert!(mrz.as_ref().is_some_and(|m| m.all_checks_pass()));
        assert_eq!(mrz.map(|m| m.lines.join("\n")), Some(TD1.join("\n")));
    }

    #[test]
    fn a_letter_in_a_date_takes_the_digit_the_reader_doubted() {
        // A blurred 0 read as U (its top lost): U is worth 30, which the check digit cannot
        // tell from 0, so only the field's class and the reader's second choice decide.
        let (text, doubts) = misread(&[(1, 10, b'U', b'0')]);
        let mrz = parse_doubting(&text, 2025, &doubts).ok();
        assert!(mrz.as_ref().is_some_and(|m| m.problems.is_empty()));
        assert_eq!(mrz.map(|m| m.lines.join("\n")), Some(TD1.join("\n")));
    }

    #[test]
    fn a_doubted_composite_check_digit_is_taken_when_it_alone_passes() {
        // Read as 5, 6 a close second: the date fields pass, the composite alone fails.
        let (text, doubts) = misread(&[(1, 29, b'5', b'6')]);
        let mrz = parse_doubting(&text, 2025, &doubts).ok();
        assert!(mrz.as_ref().is_some_and(|m| m.all_checks_pass()));
        assert_eq!(mrz.map(|m| m.lines.join("\n")), Some(TD1.join("\n")));
    }

    #[test]
    fn a_doubt_that_does_not_satisfy_the_check_digit_is_not_taken() {
        let (text, doubts) = misread(&[(1, 3, b'3', b'9')]);
        let mrz = parse_doubting(&text, 2025, &doubts).ok();
        assert!(mrz.is_some_and(|m| !m.checks.birth_date && m.corrections.is_empty()));
    }
}
