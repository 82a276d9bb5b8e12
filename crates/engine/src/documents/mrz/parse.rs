use super::checked_field::composite_passes;
use super::country::{self, alpha3};
use super::date::{self, MrzDate};
use super::grid::{bytes_at, Grid};
use super::layout::{Cell, Layout, MrzFormat, Span};
use super::locate::{locate, Located};
use super::report::{Correction, Field, FieldProblem};
use super::resolve::Doubts;
use super::{coerce, filler, names, resolve, text, MrzError};

/// The sex as the MRZ prints it (part 3, 4.2.2.3: F, M, or '<' for unspecified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
    /// Printed '<', or 'X' as some states print it.
    Unspecified,
}

/// Which check digits passed, after corrections. `None` where the format has no such check
/// digit: the personal number is TD3's, visas have no composite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckDigits {
    pub document_number: bool,
    pub birth_date: bool,
    pub expiry_date: bool,
    pub personal_number: Option<bool>,
    pub composite: Option<bool>,
}

impl CheckDigits {
    pub fn all_pass(&self) -> bool {
        self.document_number
            && self.birth_date
            && self.expiry_date
            && self.personal_number.unwrap_or(true)
            && self.composite.unwrap_or(true)
    }
}

/// An MRZ as read. Text fields are as printed, without fillers: codes and numbers trimmed of
/// their padding, names with single spaces between their components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrz {
    pub format: MrzFormat,
    /// The document type and, when printed, its subtype: "P", "I", "ID", "V".
    pub document_code: String,
    /// As printed: "D" for Germany. See [`Mrz::issuing_state_alpha3`].
    pub issuing_state: String,
    /// The primary identifier.
    pub surname: String,
    /// The secondary identifier; empty when there is none.
    pub given_names: String,
    /// In full, a long TD1/TD2 number's continuation included.
    pub document_number: String,
    /// As printed: "D" for Germany. See [`Mrz::nationality_alpha3`].
    pub nationality: String,
    /// `None` when not a calendar date (see `problems`).
    pub birth_date: Option<MrzDate>,
    /// `None` when the character is none of M, F, X, '<'.
    pub sex: Option<Sex>,
    pub expiry_date: Option<MrzDate>,
    /// TD3: the personal number. TD1/TD2: without a long document number's continuation.
    pub optional_data_1: String,
    /// TD1 only; empty elsewhere.
    pub optional_data_2: String,
    pub checks: CheckDigits,
    pub corrections: Vec<Correction>,
    pub problems: Vec<FieldProblem>,
    /// The MRZ lines as read, normalised and corrected.
    pub lines: Vec<String>,
}

impl Mrz {
    /// Whether every check digit of the format passed. A corrected MRZ can pass: see
    /// `corrections` for what was changed to make it.
    pub fn all_checks_pass(&self) -> bool {
        self.checks.all_pass()
    }

    pub fn issuing_state_alpha3(&self) -> &str {
        alpha3(&self.issuing_state)
    }

    pub fn nationality_alpha3(&self) -> &str {
        alpha3(&self.nationality)
    }
}

/// Parses `text`, the lines of an MRZ separated by line breaks, as OCR returned them. Two-digit
/// years are placed relative to `reference_year`, normally the current year: a birth date is
/// not after it, an expiry date is within 20 years before and 30 after it.
///
/// Errors only when `text` cannot be an MRZ (no lines, wrong shape, a character no MRZ has);
/// an MRZ with wrong content is returned with its failing checks and its problems.
pub fn parse(text: &str, reference_year: u16) -> Result<Mrz, MrzError> {
    parse_doubting(text, reference_year, &Doubts::default())
}

/// [`parse`], where the reader of `text` says which other characters each cell may be
/// (`doubts`): a field failing its check digit tries them (see [`resolve`]).
pub(super) fn parse_doubting(
    text: &str,
    reference_year: u16,
    doubts: &Doubts,
) -> Result<Mrz, MrzError> {
    let (format, lines) = text::read(text)?;
    let layout = Layout::of(format);
    let mut grid = Grid::new(lines);
    coerce::fixed_fields(&mut grid, &layout, doubts);
    let located = locate(&mut grid, &layout);
    filler::apply(&mut grid, &layout, &located);
    let mut searched = vec![
        &located.document_number,
        &located.birth_date,
        &located.expiry_date,
    ];
    searched.extend(located.personal_number.as_ref());
    resolve::resolve(&mut grid, &searched, layout.composite.as_ref(), doubts);
    if let Some(composite) = layout.composite.as_ref() {
        // TD3's optional data is the personal number, which has a check digit of its own.
        let unchecked_1 = located.personal_number.is_none();
        let optional: Vec<(Cell, Field)> = located
            .optional_data_1
            .iter()
            .filter(|_| unchecked_1)
            .map(|&cell| (cell, Field::OptionalData1))
            .chain(
                layout
                    .optional_data_2
                    .iter()
                    .flat_map(|span| span.cells())
                    .map(|cell| (cell, Field::OptionalData2)),
            )
            .collect();
        let mut checked = vec![
            &located.document_number,
            &located.birth_date,
            &located.expiry_date,
        ];
        checked.extend(located.personal_number.as_ref());
        resolve::resolve_composite_check(&mut grid, &checked, composite, doubts);
        resolve::resolve_optional_data(&mut grid, &checked, &optional, composite);
    }
    Ok(assemble(format, &layout, &located, grid, reference_year))
}

/// `cells` as text, without trailing fillers.
fn trimmed(lines: &[Vec<u8>], cells: impl IntoIterator<Item = Cell>) -> String {
    let bytes = bytes_at(lines, cells);
    let end = bytes
        .iter()
        .rposition(|&byte| byte != b'<')
        .map_or(0, |last| last + 1);
    bytes.iter().take(end).copied().map(char::from).collect()
}

fn sex(byte: u8) -> Option<Sex> {
    match byte {
        b'M' => Some(Sex::Male),
        b'F' => Some(Sex::Female),
        b'X' | b'<' => Some(Sex::Unspecified),
        _ => None,
    }
}

fn assemble(
    format: MrzFormat,
    layout: &Layout,
    located: &Located,
    grid: Grid,
    reference_year: u16,
) -> Mrz {
    let checks = CheckDigits {
        document_number: located.document_number.passes(grid.lines()),
        birth_date: located.birth_date.passes(grid.lines()),
        expiry_date: located.expiry_date.passes(grid.lines()),
        personal_number: located
            .personal_number
            .as_ref()
            .map(|field| field.passes(grid.lines())),
        composite: layout
            .composite
            .map(|composite| composite_passes(grid.lines(), &composite)),
    };
    let (lines, corrections, mut problems) = grid.into_parts();
    let mut read_date = |span: Span, field: Field, read: fn(&[u8], u16) -> Option<MrzDate>| {
        let printed = bytes_at(&lines, span.cells());
        let date = read(&printed, reference_year);
        if date.is_none() {
            problems.push(FieldProblem::InvalidDate {
                field,
                printed: printed.iter().copied().map(char::from).collect(),
            });
        }
        date
    };
    let birth_date = read_date(layout.birth_date, Field::BirthDate, date::birth_date);
    let expiry_date = read_date(layout.expiry_date, Field::ExpiryDate, date::expiry_date);
    let (surname, given_names) = names::split(&bytes_at(&lines, layout.names.cells()));
    Mrz {
        format,
        document_code: trimmed(&lines, layout.document_code.cells()),
        issuing_state: country::printed(&bytes_at(&lines, layout.issuing_state.cells())),
        surname,
        given_names,
        document_number: trimmed(&lines, located.document_number.data.iter().copied()),
        nationality: country::printed(&bytes_at(&lines, layout.nationality.cells())),
        birth_date,
        sex: bytes_at(&lines, [layout.sex])
            .first()
            .copied()
            .and_then(sex),
        expiry_date,
        optional_data_1: trimmed(&lines, located.optional_data_1.iter().copied()),
        optional_data_2: layout
            .optional_data_2
            .map(|span| trimmed(&lines, span.cells()))
            .unwrap_or_default(),
        checks,
        corrections,
        problems,
        lines: lines
            .iter()
            .map(|line| line.iter().copied().map(char::from).collect())
            .collect(),
    }
}
