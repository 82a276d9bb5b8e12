//! Fields whose characters are all of one class (digits, or letters) cannot hold the other
//! class, so a character of the wrong class is the confusable glyph of the right one: an 'O' in
//! a date is a 0, a '0' in a name is an O. This needs no check digit and is always applied.

use super::confusion::{as_digit, as_letter, FILLER_MISREAD};
use super::grid::Grid;
use super::layout::{Cell, Class, Layout};
use super::report::{Field, FieldProblem};
use super::resolve::Doubts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Legal,
    Misread(u8),
    Illegal,
}

fn reading(byte: u8, class: Class) -> Reading {
    let legal = match class {
        Class::Digits | Class::CheckDigit => byte.is_ascii_digit() || byte == b'<',
        Class::Letters => byte.is_ascii_uppercase() || byte == b'<',
        Class::Sex => matches!(byte, b'M' | b'F' | b'X' | b'<'),
    };
    if legal {
        return Reading::Legal;
    }
    let meant = match class {
        Class::Digits => as_digit(byte),
        Class::Letters => as_letter(byte),
        // No digit looks like K; the filler does.
        Class::CheckDigit if byte == FILLER_MISREAD => Some(b'<'),
        Class::CheckDigit => as_digit(byte),
        Class::Sex if byte == FILLER_MISREAD => Some(b'<'),
        Class::Sex => None,
    };
    meant.map_or(Reading::Illegal, Reading::Misread)
}

fn coerce(grid: &mut Grid, cell: Cell, class: Class, field: Field, doubts: &Doubts) {
    let byte = grid.byte(cell);
    // A character the field cannot hold, where the reader's runner-up is one it can (a 'U'
    // for a blurred 0 in a date): the class decides, as it does between lookalikes.
    let doubted = |byte: u8| match reading(byte, class) {
        Reading::Legal => Some(byte),
        Reading::Misread(meant) => Some(meant),
        Reading::Illegal => None,
    };
    let mut legal_doubts: Vec<u8> = doubts.at(cell).iter().filter_map(|&b| doubted(b)).collect();
    legal_doubts.dedup();
    match (reading(byte, class), legal_doubts.as_slice()) {
        (Reading::Legal, _) => {}
        (Reading::Misread(meant), _) => grid.correct(cell, meant, field),
        (Reading::Illegal, [only]) => grid.correct(cell, *only, field),
        (Reading::Illegal, _) => grid.report(FieldProblem::UnexpectedCharacter {
            field,
            line: cell.line + 1,
            column: cell.column + 1,
            character: char::from(byte),
        }),
    }
}

pub(super) fn check_digit(grid: &mut Grid, cell: Cell, field: Field) {
    coerce(grid, cell, Class::CheckDigit, field, &Doubts::default());
}

/// Coerces every field of one class. The document number and the optional data can hold both
/// classes and are left to [`super::resolve`].
pub(super) fn fixed_fields(grid: &mut Grid, layout: &Layout, doubts: &Doubts) {
    for (cell, class, field) in layout.fixed_cells() {
        coerce(grid, cell, class, field, doubts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_class_takes_back_its_lookalikes() {
        assert_eq!(reading(b'O', Class::Digits), Reading::Misread(b'0'));
        assert_eq!(reading(b'Q', Class::Digits), Reading::Misread(b'0'));
        assert_eq!(reading(b'B', Class::CheckDigit), Reading::Misread(b'8'));
        assert_eq!(reading(b'0', Class::Letters), Reading::Misread(b'O'));
        assert_eq!(reading(b'5', Class::Letters), Reading::Misread(b'S'));
        assert_eq!(reading(b'K', Class::CheckDigit), Reading::Misread(b'<'));
        assert_eq!(reading(b'K', Class::Sex), Reading::Misread(b'<'));
    }

    #[test]
    fn legal_characters_stay_and_the_rest_is_illegal() {
        assert_eq!(reading(b'7', Class::Digits), Reading::Legal);
        assert_eq!(reading(b'<', Class::Digits), Reading::Legal);
        assert_eq!(reading(b'K', Class::Letters), Reading::Legal);
        assert_eq!(reading(b'X', Class::Sex), Reading::Legal);
        assert_eq!(reading(b'X', Class::Digits), Reading::Illegal);
        assert_eq!(reading(b'K', Class::Digits), Reading::Illegal);
        assert_eq!(reading(b'3', Class::Letters), Reading::Illegal);
        assert_eq!(reading(b'H', Class::Sex), Reading::Illegal);
        assert_eq!(reading(b'0', Class::Sex), Reading::Illegal);
    }
}
