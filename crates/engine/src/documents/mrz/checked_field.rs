//! A field that a check digit covers, and the checks of a field and of the composite: what
//! locating the fields finds and what resolving a misread tries against.

use super::check_digit::{verifies, verifies_or_empty};
use super::grid::{byte_at, bytes_at};
use super::layout::{Cell, Composite};
use super::report::Field;

/// A field and its check digit, which is computed over `data` in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CheckedField {
    pub field: Field,
    pub data: Vec<Cell>,
    pub check: Cell,
    /// The personal number, when there is none, may have '<' for its check digit.
    pub may_be_empty: bool,
}

impl CheckedField {
    pub(super) fn new(field: Field, data: impl IntoIterator<Item = Cell>, check: Cell) -> Self {
        Self {
            field,
            data: data.into_iter().collect(),
            check,
            may_be_empty: false,
        }
    }

    /// Whether `check` is the check digit of `data`, both read from this field's positions.
    pub fn verifies(&self, data: &[u8], check: u8) -> bool {
        if self.may_be_empty {
            verifies_or_empty(data, check)
        } else {
            verifies(data, check)
        }
    }

    pub fn passes(&self, lines: &[Vec<u8>]) -> bool {
        let data = bytes_at(lines, self.data.iter().copied());
        self.verifies(&data, byte_at(lines, self.check))
    }
}

pub(super) fn composite_passes(lines: &[Vec<u8>], composite: &Composite) -> bool {
    verifies(
        &bytes_at(lines, composite.cells()),
        byte_at(lines, composite.check),
    )
}
