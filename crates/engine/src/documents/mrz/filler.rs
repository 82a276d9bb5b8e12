//! Fillers read as letters. OCR reads the chevron '<' as a K more than as anything else, and runs
//! of fillers are where the MRZ has most chevrons. Where the structure says a run of fillers is
//! (after the names, in a state code's padding, at the end of optional data), a letter standing
//! alone in it is a misread filler.
//!
//! Check digits cannot arbitrate here: K is worth 20 and '<' 0, and a change by a multiple of 10
//! leaves every check digit as it was. So a short document number or a personal number padded
//! with "<K<<" passes its check digit either way, and is corrected like the fields without one.

use super::confusion::FILLER_MISREAD;
use super::country;
use super::grid::Grid;
use super::layout::{Cell, Layout};
use super::locate::Located;
use super::names;
use super::report::Field;

/// Positions of K's standing alone in the run of fillers that ends `field`. The run starts with
/// a '<', so that a K ending the data itself ("AB12K<<<") is kept; other letters are kept too,
/// since optional data can hold anything.
pub(super) fn tail_misreads(field: &[u8]) -> Vec<usize> {
    let in_tail = |byte: &u8| *byte == b'<' || *byte == FILLER_MISREAD;
    let tail_length = field.iter().rev().take_while(|byte| in_tail(byte)).count();
    let tail_start = field.len() - tail_length;
    let Some(first_filler) =
        (tail_start..field.len()).find(|&index| field.get(index) == Some(&b'<'))
    else {
        return Vec::new();
    };
    let is_filler = |index: usize| field.get(index).is_none_or(|&byte| byte == b'<');
    (first_filler..field.len())
        .filter(|&index| {
            field.get(index) == Some(&FILLER_MISREAD)
                && index.checked_sub(1).is_none_or(is_filler)
                && is_filler(index + 1)
        })
        .collect()
}

fn correct_at(grid: &mut Grid, cells: &[Cell], field: Field, misreads: fn(&[u8]) -> Vec<usize>) {
    let bytes = grid.bytes(cells.iter().copied());
    for index in misreads(&bytes) {
        if let Some(&cell) = cells.get(index) {
            grid.correct(cell, b'<', field);
        }
    }
}

/// Reads back as fillers the letters misread in the runs of fillers.
pub(super) fn apply(grid: &mut Grid, layout: &Layout, located: &Located) {
    let names: Vec<Cell> = layout.names.cells().collect();
    correct_at(grid, &names, Field::Names, names::filler_misreads);
    for (span, field) in [
        (layout.issuing_state, Field::IssuingState),
        (layout.nationality, Field::Nationality),
    ] {
        let code: Vec<Cell> = span.cells().collect();
        correct_at(grid, &code, field, country::padding_misreads);
    }
    if located.personal_number.is_none() {
        correct_at(
            grid,
            &located.optional_data_1,
            Field::OptionalData1,
            tail_misreads,
        );
    }
    if let Some(span) = layout.optional_data_2 {
        let cells: Vec<Cell> = span.cells().collect();
        correct_at(grid, &cells, Field::OptionalData2, tail_misreads);
    }
    for checked in [
        Some(&located.document_number),
        located.personal_number.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        correct_at(grid, &checked.data, checked.field, tail_misreads);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_k_standing_alone_among_trailing_fillers() {
        assert_eq!(tail_misreads(b"ZE184226B<<K<<K"), [11, 14]);
        assert_eq!(tail_misreads(b"<<<K<<<<"), [3]);
        assert!(tail_misreads(b"<<<<<<").is_empty());
        assert!(tail_misreads(b"").is_empty());
    }

    #[test]
    fn keeps_k_that_belong_to_the_data() {
        assert!(tail_misreads(b"AB12K<<<").is_empty());
        assert!(tail_misreads(b"K<<<<<").is_empty());
        assert!(tail_misreads(b"AB<KK<<").is_empty());
        assert!(tail_misreads(b"AB<K<C<<").is_empty());
        assert!(tail_misreads(b"ABCK").is_empty());
    }
}
