//! Where each field sits in each of the five MRZ sizes (ICAO 9303 parts 4 to 7). Positions
//! count from 0 here; ICAO's tables count from 1.

use super::report::Field;

/// The five MRZ sizes of ICAO 9303.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MrzFormat {
    /// Identity card, 3 lines of 30 (part 5).
    Td1,
    /// Identity card, 2 lines of 36 (part 6).
    Td2,
    /// Passport, 2 lines of 44 (part 4).
    Td3,
    /// Visa, 2 lines of 44 (part 7).
    MrvA,
    /// Visa, 2 lines of 36 (part 7).
    MrvB,
}

impl MrzFormat {
    /// Every format ICAO 9303 defines, in the order of its parts' documents (cards, passports,
    /// visas).
    pub const ALL: [MrzFormat; 5] = [
        MrzFormat::Td1,
        MrzFormat::Td2,
        MrzFormat::Td3,
        MrzFormat::MrvA,
        MrzFormat::MrvB,
    ];

    pub fn line_count(self) -> usize {
        match self {
            MrzFormat::Td1 => 3,
            MrzFormat::Td2 | MrzFormat::Td3 | MrzFormat::MrvA | MrzFormat::MrvB => 2,
        }
    }

    pub fn line_length(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 | MrzFormat::MrvB => 36,
            MrzFormat::Td3 | MrzFormat::MrvA => 44,
        }
    }
}

/// The size tells TD1 from the two-line formats and 36 from 44 characters; within one size a
/// visa is told by its document code, whose first character is always 'V' (part 7, 4.2.2).
pub(super) fn detect(lengths: &[usize], first_character: Option<u8>) -> Option<MrzFormat> {
    let visa = first_character == Some(b'V');
    match (lengths, visa) {
        ([30, 30, 30], _) => Some(MrzFormat::Td1),
        ([36, 36], false) => Some(MrzFormat::Td2),
        ([36, 36], true) => Some(MrzFormat::MrvB),
        ([44, 44], false) => Some(MrzFormat::Td3),
        ([44, 44], true) => Some(MrzFormat::MrvA),
        _ => None,
    }
}

/// One character position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cell {
    pub line: usize,
    pub column: usize,
}

/// Consecutive positions on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    pub line: usize,
    pub start: usize,
    pub len: usize,
}

impl Span {
    pub fn cells(self) -> impl Iterator<Item = Cell> {
        (self.start..self.start + self.len).map(move |column| Cell {
            line: self.line,
            column,
        })
    }
}

/// The composite check digit and the positions it covers, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Composite {
    pub check: Cell,
    pub covers: &'static [Span],
}

impl Composite {
    pub fn cells(&self) -> impl Iterator<Item = Cell> + '_ {
        self.covers.iter().flat_map(|span| span.cells())
    }
}

/// The fields of one format. The document number's check digit is where it is printed for a
/// number of at most 9 characters; [`super::locate`] finds the longer ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    pub document_code: Span,
    pub issuing_state: Span,
    pub names: Span,
    pub document_number: Span,
    pub document_number_check: Cell,
    pub nationality: Span,
    pub birth_date: Span,
    pub birth_date_check: Cell,
    pub sex: Cell,
    pub expiry_date: Span,
    pub expiry_date_check: Cell,
    pub optional_data_1: Span,
    /// TD3 only: the optional data there is the personal number, with its own check digit.
    pub personal_number_check: Option<Cell>,
    /// TD1 only.
    pub optional_data_2: Option<Span>,
    /// TD1 and TD2: a document number over 9 characters continues in `optional_data_1`.
    pub long_numbers: bool,
    /// None for visas.
    pub composite: Option<Composite>,
}

/// What a position may hold, where its field fixes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    /// Dates. A '<' is legal: unknown parts of a birth date are printed as fillers.
    Digits,
    /// Document code, state codes, names.
    Letters,
    /// A digit, or a filler where ICAO allows one (an empty personal number, the document
    /// number's check digit position when the number continues elsewhere).
    CheckDigit,
    /// 'M', 'F', 'X', or '<' for unspecified.
    Sex,
}

impl Layout {
    /// Every cell whose field holds one class of character, with the class and the field, in
    /// the order fields are coerced (and their problems reported). The document number and the
    /// optional data hold both classes and are not among them.
    pub fn fixed_cells(&self) -> Vec<(Cell, Class, Field)> {
        let spans = [
            (self.document_code, Class::Letters, Field::DocumentCode),
            (self.issuing_state, Class::Letters, Field::IssuingState),
            (self.names, Class::Letters, Field::Names),
            (self.nationality, Class::Letters, Field::Nationality),
            (self.birth_date, Class::Digits, Field::BirthDate),
            (self.expiry_date, Class::Digits, Field::ExpiryDate),
        ];
        let mut cells: Vec<(Cell, Class, Field)> = spans
            .iter()
            .flat_map(|&(span, class, field)| span.cells().map(move |cell| (cell, class, field)))
            .collect();
        cells.push((self.sex, Class::Sex, Field::Sex));
        let checks = [
            Some((self.document_number_check, Field::DocumentNumber)),
            Some((self.birth_date_check, Field::BirthDate)),
            Some((self.expiry_date_check, Field::ExpiryDate)),
            self.personal_number_check
                .map(|cell| (cell, Field::OptionalData1)),
            self.composite
                .map(|composite| (composite.check, Field::Composite)),
        ];
        cells.extend(
            checks
                .into_iter()
                .flatten()
                .map(|(cell, field)| (cell, Class::CheckDigit, field)),
        );
        cells
    }

    pub fn of(format: MrzFormat) -> Self {
        match format {
            MrzFormat::Td1 => TD1,
            MrzFormat::Td2 => TD2,
            MrzFormat::Td3 => TD3,
            MrzFormat::MrvA => MRV_A,
            MrzFormat::MrvB => MRV_B,
        }
    }
}

const fn cell(line: usize, column: usize) -> Cell {
    Cell { line, column }
}

const fn span(line: usize, start: usize, len: usize) -> Span {
    Span { line, start, len }
}

/// Part 5, 4.2.2: line 1 from the document number to its end, line 2 but for the sex, the
/// nationality and the composite check digit itself.
const TD1_COMPOSITE: &[Span] = &[
    span(0, 5, 25),
    span(1, 0, 7),
    span(1, 8, 7),
    span(1, 18, 11),
];
/// Parts 4 and 6: line 2 but for the nationality, the sex and the composite check digit.
const TD2_COMPOSITE: &[Span] = &[span(1, 0, 10), span(1, 13, 7), span(1, 21, 14)];
const TD3_COMPOSITE: &[Span] = &[span(1, 0, 10), span(1, 13, 7), span(1, 21, 22)];

const TD1: Layout = Layout {
    document_code: span(0, 0, 2),
    issuing_state: span(0, 2, 3),
    document_number: span(0, 5, 9),
    document_number_check: cell(0, 14),
    optional_data_1: span(0, 15, 15),
    birth_date: span(1, 0, 6),
    birth_date_check: cell(1, 6),
    sex: cell(1, 7),
    expiry_date: span(1, 8, 6),
    expiry_date_check: cell(1, 14),
    nationality: span(1, 15, 3),
    optional_data_2: Some(span(1, 18, 11)),
    names: span(2, 0, 30),
    personal_number_check: None,
    long_numbers: true,
    composite: Some(Composite {
        check: cell(1, 29),
        covers: TD1_COMPOSITE,
    }),
};

/// The two-line formats share line 1 (document code, issuing state, names) and line 2 up to the
/// expiry date's check digit; they differ in length and in what follows.
const fn two_line(
    line_length: usize,
    optional_data: usize,
    personal_number_check: Option<Cell>,
    long_numbers: bool,
    composite: Option<Composite>,
) -> Layout {
    Layout {
        document_code: span(0, 0, 2),
        issuing_state: span(0, 2, 3),
        names: span(0, 5, line_length - 5),
        document_number: span(1, 0, 9),
        document_number_check: cell(1, 9),
        nationality: span(1, 10, 3),
        birth_date: span(1, 13, 6),
        birth_date_check: cell(1, 19),
        sex: cell(1, 20),
        expiry_date: span(1, 21, 6),
        expiry_date_check: cell(1, 27),
        optional_data_1: span(1, 28, optional_data),
        personal_number_check,
        optional_data_2: None,
        long_numbers,
        composite,
    }
}

const TD2: Layout = two_line(
    36,
    7,
    None,
    true,
    Some(Composite {
        check: cell(1, 35),
        covers: TD2_COMPOSITE,
    }),
);

const TD3: Layout = two_line(
    44,
    14,
    Some(cell(1, 42)),
    false,
    Some(Composite {
        check: cell(1, 43),
        covers: TD3_COMPOSITE,
    }),
);

const MRV_A: Layout = two_line(44, 16, None, false, None);

const MRV_B: Layout = two_line(36, 8, None, false, None);

#[cfg(test)]
mod tests {
    use super::*;

    fn all_spans(layout: &Layout) -> Vec<Span> {
        let single = |cell: Cell| span(cell.line, cell.column, 1);
        let mut spans = vec![
            layout.document_code,
            layout.issuing_state,
            layout.names,
            layout.document_number,
            single(layout.document_number_check),
            layout.nationality,
            layout.birth_date,
            single(layout.birth_date_check),
            single(layout.sex),
            layout.expiry_date,
            single(layout.expiry_date_check),
            layout.optional_data_1,
        ];
        spans.extend(layout.personal_number_check.map(single));
        spans.extend(layout.optional_data_2);
        spans.extend(layout.composite.map(|composite| single(composite.check)));
        spans
    }

    /// Every position of every line belongs to exactly one field: a layout typo would leave a
    /// hole or an overlap.
    #[test]
    fn fields_tile_every_line() {
        for format in MrzFormat::ALL {
            let mut owners = vec![vec![0u8; format.line_length()]; format.line_count()];
            for span in all_spans(&Layout::of(format)) {
                for cell in span.cells() {
                    let owner = owners
                        .get_mut(cell.line)
                        .and_then(|line| line.get_mut(cell.column));
                    assert!(owner.is_some(), "{format:?}: {cell:?} is off the MRZ");
                    if let Some(owner) = owner {
                        *owner += 1;
                    }
                }
            }
            assert!(
                owners.iter().flatten().all(|&count| count == 1),
                "{format:?}: {owners:?}"
            );
        }
    }

    #[test]
    fn the_composite_covers_what_icao_lists() {
        let lengths = |format| {
            Layout::of(format)
                .composite
                .map(|composite| composite.cells().count())
        };
        assert_eq!(lengths(MrzFormat::Td1), Some(25 + 7 + 7 + 11));
        assert_eq!(lengths(MrzFormat::Td2), Some(10 + 7 + 14));
        assert_eq!(lengths(MrzFormat::Td3), Some(10 + 7 + 22));
        assert_eq!(lengths(MrzFormat::MrvA), None);
        assert_eq!(lengths(MrzFormat::MrvB), None);
    }

    #[test]
    fn detects_the_format_from_the_shape_and_the_visa_code() {
        assert_eq!(detect(&[30, 30, 30], Some(b'I')), Some(MrzFormat::Td1));
        assert_eq!(detect(&[36, 36], Some(b'I')), Some(MrzFormat::Td2));
        assert_eq!(detect(&[36, 36], Some(b'V')), Some(MrzFormat::MrvB));
        assert_eq!(detect(&[44, 44], Some(b'P')), Some(MrzFormat::Td3));
        assert_eq!(detect(&[44, 44], Some(b'V')), Some(MrzFormat::MrvA));
        assert_eq!(detect(&[44, 36], Some(b'P')), None);
        assert_eq!(detect(&[30, 30], Some(b'I')), None);
        assert_eq!(detect(&[], None), None);
    }
}
