//! Which positions hold each field that a check digit covers. The layout fixes them, except for
//! a TD1 or TD2 document number over 9 characters (part 5, 4.2.2 note j; part 6 likewise): its
//! first 9 characters fill the number field, a '<' takes the place of its check digit, and the
//! rest of it follows at the start of the optional data, then its check digit, then a '<'.

use super::checked_field::CheckedField;
use super::coerce;
use super::grid::Grid;
use super::layout::{Cell, Layout};
use super::report::Field;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Located {
    pub document_number: CheckedField,
    pub birth_date: CheckedField,
    pub expiry_date: CheckedField,
    /// TD3 only.
    pub personal_number: Option<CheckedField>,
    /// Optional data 1 without the continuation of a long document number.
    pub optional_data_1: Vec<Cell>,
}

/// Locates the checked fields, coercing the check digit of a long document number: it is only
/// known to be one once the number is known to be long, after [`coerce::fixed_fields`].
pub(super) fn locate(grid: &mut Grid, layout: &Layout) -> Located {
    let optional: Vec<Cell> = layout.optional_data_1.cells().collect();
    let continued = layout.long_numbers
        && grid.byte(layout.document_number_check) == b'<'
        && optional
            .first()
            .is_some_and(|&cell| grid.byte(cell) != b'<');
    let (document_number, optional_data_1) = if continued {
        let run = optional
            .iter()
            .take_while(|&&cell| grid.byte(cell) != b'<')
            .count();
        let (continuation, rest) = optional.split_at(run.min(optional.len()));
        match continuation.split_last() {
            Some((&check, continuation)) => {
                coerce::check_digit(grid, check, Field::DocumentNumber);
                let data = layout
                    .document_number
                    .cells()
                    .chain(continuation.iter().copied());
                (
                    CheckedField::new(Field::DocumentNumber, data, check),
                    rest.iter().skip(1).copied().collect(),
                )
            }
            None => short_number(layout, optional),
        }
    } else {
        short_number(layout, optional)
    };
    Located {
        document_number,
        birth_date: CheckedField::new(
            Field::BirthDate,
            layout.birth_date.cells(),
            layout.birth_date_check,
        ),
        expiry_date: CheckedField::new(
            Field::ExpiryDate,
            layout.expiry_date.cells(),
            layout.expiry_date_check,
        ),
        personal_number: layout.personal_number_check.map(|check| CheckedField {
            may_be_empty: true,
            ..CheckedField::new(Field::OptionalData1, layout.optional_data_1.cells(), check)
        }),
        optional_data_1,
    }
}

fn short_number(layout: &Layout, optional: Vec<Cell>) -> (CheckedField, Vec<Cell>) {
    (
        CheckedField::new(
            Field::DocumentNumber,
            layout.document_number.cells(),
            layout.document_number_check,
        ),
        optional,
    )
}
