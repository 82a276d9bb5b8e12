//! What the parser tells about its reading beyond the fields: what it changed and what it could
//! not read. Positions count from 1, as ICAO's tables do.

/// A field of the MRZ, as named by ICAO 9303. A check digit belongs to the field it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    DocumentCode,
    IssuingState,
    /// The primary and secondary identifiers.
    Names,
    DocumentNumber,
    Nationality,
    BirthDate,
    Sex,
    ExpiryDate,
    /// TD3: the personal number.
    OptionalData1,
    /// TD1 only.
    OptionalData2,
    /// The composite check digit.
    Composite,
}

/// One character the parser read as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Correction {
    pub field: Field,
    pub line: usize,
    pub column: usize,
    /// As the OCR gave it (after upper-casing).
    pub read: char,
    pub corrected: char,
}

/// Something the parser could not read; the MRZ's other fields are still read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// A character the field cannot hold and that no OCR confusion explains, such as a '3' in
    /// a name or an 'X' in a date.
    UnexpectedCharacter {
        field: Field,
        line: usize,
        column: usize,
        character: char,
    },
    /// Not a calendar date, or printed with unknown parts ('<'), which ICAO allows for a birth
    /// date that is not known.
    InvalidDate { field: Field, printed: String },
    /// The field failed its check digit and several OCR readings of it satisfy the check digits;
    /// none was chosen, the field is left as read.
    AmbiguousCorrection { field: Field, candidates: usize },
    /// The field failed its check digit and has too many confusable characters for every
    /// reading of it to be tried; it is left as read.
    TooManyConfusables { field: Field },
}
