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
//! When OCR made another mistake (a '3' for an '8'), the true reading is not among those tried,
//! and one of them may still satisfy the check digit by chance: one reading in ten does. Such a
//! correction is reported like any other. The composite does not help much there: the document
//! number and TD3's personal number sit where the composite's weights line up with the field's
//! own, so every reading satisfying the field's check digit adds the same to the composite. It
//! does catch most misread check digits (all but those off by 5), and tells apart readings
//! that differ in the continuation of a long TD1 number, which sits one weight further on.

use super::check_digit::value;
use super::confusion::lookalikes;
use super::grid::{byte_at, bytes_at, set_at, Grid};
use super::layout::{Cell, Composite};
use super::locate::{composite_passes, CheckedField};
use super::report::{Field, FieldProblem};

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
    choices: fn(u8) -> Vec<u8>,
) -> Option<Vec<Substitutions>> {
    let read = bytes_at(lines, field.data.iter().copied());
    let choices: Vec<Vec<u8>> = read.iter().map(|&byte| choices(byte)).collect();
    let total = choices.iter().try_fold(1usize, |total, options| {
        total
            .checked_mul(options.len())
            .filter(|&total| total <= MAX_READINGS)
    })?;
    let check = byte_at(lines, field.check);
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
        if field.verifies(&reading, check) {
            let substitutions = field
                .data
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

/// Corrects each of `fields` that fails its check digit when a single reading of it satisfies
/// the check digits; reports those with several, or with too many to try.
pub(super) fn resolve(grid: &mut Grid, fields: &[&CheckedField], composite: Option<&Composite>) {
    // Per field, the readings still in play: only the one read, unless it was searched.
    let mut options: Vec<Vec<Substitutions>> = Vec::with_capacity(fields.len());
    let mut searched = Vec::new();
    for (index, field) in fields.iter().enumerate() {
        let mut field_options = vec![Vec::new()];
        if !field.passes(grid.lines()) {
            // Every confusion first; where they are too many to try, O/0 swaps alone, and a
            // single reading that way is kept.
            let all = satisfying_readings(grid.lines(), field, choices).or_else(|| {
                satisfying_readings(grid.lines(), field, o_or_zero).filter(|found| found.len() == 1)
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
