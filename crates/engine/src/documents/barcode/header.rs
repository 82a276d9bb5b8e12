//! The header: compliance indicator '@', the separators LF, RS and CR, the file type "ANSI "
//! ("AAMVA" in some version 1 barcodes), then fixed-width numbers: the IIN (6 digits), the
//! AAMVA version (2), the jurisdiction version (2, from version 2 on), the number of entries
//! (2), and that many subfile designators of 10 characters each: the type (2), the offset (4)
//! and the length (4) of a subfile, counted in bytes from the start of the data.
//!
//! Issuers drop or garble the separators and some put a jurisdiction version into a version 1
//! header or leave it out of a later one, so the file type is looked for near the start rather
//! than at position 4, and both layouts are tried for the designators.

use super::record::AamvaProblem;
use super::BarcodeError;

/// How far into the data the file type is looked for. The standard puts it at 4; this leaves
/// room for scanners that prefix the data with a symbology identifier or a few stray bytes.
const FILE_TYPE_WITHIN: usize = 32;

/// The oldest and the newest version this parser knows.
const VERSIONS: std::ops::RangeInclusive<u8> = 1..=10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    pub iin: String,
    pub version: u8,
    pub jurisdiction_version: Option<u8>,
    pub designators: Vec<Designator>,
    /// Where the header ends: past the designators, or past the version fields if there are
    /// none.
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Designator {
    pub kind: [u8; 2],
    pub offset: usize,
    pub length: usize,
}

pub(super) fn read_header(
    data: &[u8],
    problems: &mut Vec<AamvaProblem>,
) -> Result<Header, BarcodeError> {
    let (file_type_at, after_file_type) = find_file_type(data).ok_or(BarcodeError::NotAamva)?;
    if !data.starts_with(b"@\n\x1e\r") || file_type_at != 4 {
        problems.push(AamvaProblem::NonStandardHeader);
    }
    let iin_at = after_file_type;
    let iin = digits(data, iin_at, 6).ok_or_else(|| invalid(data, "IIN", iin_at, 6))?;
    let version_at = iin_at + 6;
    let version =
        number(data, version_at, 2).ok_or_else(|| invalid(data, "AAMVA version", version_at, 2))?;
    let version =
        u8::try_from(version).map_err(|_| invalid(data, "AAMVA version", version_at, 2))?;
    if version == 0 {
        return Err(BarcodeError::UnsupportedVersion(version));
    }
    if !VERSIONS.contains(&version) {
        problems.push(AamvaProblem::UnknownVersion(version));
    }

    let after_version = version_at + 2;
    let with_jurisdiction_version = Layout {
        jurisdiction_version_at: Some(after_version),
        entries_at: after_version + 2,
    };
    let without = Layout {
        jurisdiction_version_at: None,
        entries_at: after_version,
    };
    let layouts = if version == 1 {
        [without, with_jurisdiction_version]
    } else {
        [with_jurisdiction_version, without]
    };
    let read = layouts
        .iter()
        .find_map(|layout| layout.read(data))
        .unwrap_or(Read {
            jurisdiction_version: None,
            declared: None,
            designators: Vec::new(),
            end: after_version,
        });
    if let Some(declared) = read.declared {
        if usize::from(declared) != read.designators.len() {
            problems.push(AamvaProblem::DesignatorCount {
                declared,
                listed: read.designators.len(),
            });
        }
    }
    Ok(Header {
        iin,
        version,
        jurisdiction_version: read.jurisdiction_version,
        designators: read.designators,
        end: read.end,
    })
}

/// Where the file type starts, and where what follows it starts.
fn find_file_type(data: &[u8]) -> Option<(usize, usize)> {
    let window = data.get(..FILE_TYPE_WITHIN.min(data.len()))?;
    let at = |needle: &[u8]| window.windows(needle.len()).position(|w| w == needle);
    if let Some(start) = at(b"ANSI") {
        let after = start + 4;
        let after = if data.get(after) == Some(&b' ') {
            after + 1
        } else {
            after
        };
        return Some((start, after));
    }
    at(b"AAMVA").map(|start| (start, start + 5))
}

#[derive(Debug, Clone, Copy)]
struct Layout {
    jurisdiction_version_at: Option<usize>,
    entries_at: usize,
}

struct Read {
    jurisdiction_version: Option<u8>,
    declared: Option<u8>,
    designators: Vec<Designator>,
    end: usize,
}

impl Layout {
    /// The designators as this layout places them, if it places at least one.
    fn read(self, data: &[u8]) -> Option<Read> {
        let jurisdiction_version = match self.jurisdiction_version_at {
            Some(at) => Some(u8::try_from(number(data, at, 2)?).ok()?),
            None => None,
        };
        let declared = u8::try_from(number(data, self.entries_at, 2)?).ok()?;
        let first_at = self.entries_at + 2;
        let designators: Vec<Designator> = (0..usize::from(declared))
            .map_while(|index| designator(data, first_at + 10 * index))
            .collect();
        if designators.is_empty() {
            return None;
        }
        let end = first_at + 10 * designators.len();
        Some(Read {
            jurisdiction_version,
            declared: Some(declared),
            designators,
            end,
        })
    }
}

fn designator(data: &[u8], at: usize) -> Option<Designator> {
    let kind = data.get(at..at + 2)?;
    let kind: [u8; 2] = kind.try_into().ok()?;
    if !kind
        .iter()
        .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit())
    {
        return None;
    }
    Some(Designator {
        kind,
        offset: usize::try_from(number(data, at + 2, 4)?).ok()?,
        length: usize::try_from(number(data, at + 6, 4)?).ok()?,
    })
}

/// The `len` ASCII digits at `at`, as text.
fn digits(data: &[u8], at: usize, len: usize) -> Option<String> {
    let field = data.get(at..at + len)?;
    field
        .iter()
        .all(u8::is_ascii_digit)
        .then(|| field.iter().map(|&byte| char::from(byte)).collect())
}

fn number(data: &[u8], at: usize, len: usize) -> Option<u32> {
    digits(data, at, len)?.parse().ok()
}

fn invalid(data: &[u8], field: &'static str, at: usize, len: usize) -> BarcodeError {
    let end = (at + len).min(data.len());
    let printed = data
        .get(at.min(end)..end)
        .map(super::elements::latin1)
        .unwrap_or_default();
    BarcodeError::InvalidHeader { field, printed }
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), BarcodeError>;

    fn designator(kind: &[u8; 2], offset: usize, length: usize) -> Designator {
        Designator {
            kind: *kind,
            offset,
            length,
        }
    }

    #[test]
    fn a_version_10_header() -> TestResult {
        let mut problems = Vec::new();
        let header = read_header(
            b"@\n\x1e\rANSI 636014100102DL00410278ZC03190024DLDAQ",
            &mut problems,
        )?;
        assert_eq!(header.iin, "636014");
        assert_eq!(header.version, 10);
        assert_eq!(header.jurisdiction_version, Some(1));
        assert_eq!(
            header.designators,
            [designator(b"DL", 41, 278), designator(b"ZC", 319, 24)]
        );
        assert_eq!(header.end, 41);
        assert_eq!(problems, []);
        Ok(())
    }

    #[test]
    fn a_version_1_header_has_no_jurisdiction_version() -> TestResult {
        let mut problems = Vec::new();
        let header = read_header(b"@\n\x1e\rANSI 6360100101DL00310100DLDAQ", &mut problems)?;
        assert_eq!(header.iin, "636010");
        assert_eq!(header.version, 1);
        assert_eq!(header.jurisdiction_version, None);
        assert_eq!(header.designators, [designator(b"DL", 31, 100)]);
        assert_eq!(problems, []);
        Ok(())
    }

    #[test]
    fn a_version_1_header_with_a_jurisdiction_version_is_read_too() -> TestResult {
        let mut problems = Vec::new();
        let header = read_header(b"@\n\x1e\rANSI 636010010001DL00330100", &mut problems)?;
        assert_eq!(header.jurisdiction_version, Some(0));
        assert_eq!(header.designators, [designator(b"DL", 33, 100)]);
        Ok(())
    }

    #[test]
    fn the_aamva_file_type_and_garbled_separators_are_accepted_and_reported() -> TestResult {
        let mut problems = Vec::new();
        let header = read_header(b"@\r\nAAMVA6360000101DL00290100", &mut problems)?;
        assert_eq!(header.iin, "636000");
        assert_eq!(header.version, 1);
        assert_eq!(header.designators, [designator(b"DL", 29, 100)]);
        assert_eq!(problems, [AamvaProblem::NonStandardHeader]);
        Ok(())
    }

    #[test]
    fn fewer_designators_than_declared_are_reported() -> TestResult {
        let mut problems = Vec::new();
        let header = read_header(
            b"@\n\x1e\rANSI 636015080003DL00430200\nDLDAQ",
            &mut problems,
        )?;
        assert_eq!(header.designators, [designator(b"DL", 43, 200)]);
        assert_eq!(
            problems,
            [AamvaProblem::DesignatorCount {
                declared: 3,
                listed: 1
            }]
        );
        Ok(())
    }

    #[test]
    fn texts_without_the_file_type_are_not_aamva() {
        for text in [&b""[..], b"@", b"hello world", b"@\n\x1e\rANS 636014"] {
            assert_eq!(
                read_header(text, &mut Vec::new()),
                Err(BarcodeError::NotAamva),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_short_or_non_numeric_header_is_invalid() {
        assert_eq!(
            read_header(b"@\n\x1e\rANSI 63601", &mut Vec::new()),
            Err(BarcodeError::InvalidHeader {
                field: "IIN",
                printed: "63601".into()
            })
        );
        assert_eq!(
            read_header(b"@\n\x1e\rANSI 636014XX", &mut Vec::new()),
            Err(BarcodeError::InvalidHeader {
                field: "AAMVA version",
                printed: "XX".into()
            })
        );
        assert_eq!(
            read_header(b"@\n\x1e\rANSI 63601400", &mut Vec::new()),
            Err(BarcodeError::UnsupportedVersion(0))
        );
    }

    #[test]
    fn a_version_from_the_future_is_read_and_reported() -> TestResult {
        let mut problems = Vec::new();
        let header = read_header(b"@\n\x1e\rANSI 636014110101DL00330100", &mut problems)?;
        assert_eq!(header.version, 11);
        assert_eq!(problems, [AamvaProblem::UnknownVersion(11)]);
        Ok(())
    }
}
