//! Finding the subfiles: at the offset their designator gives, or, since issuers get offsets
//! wrong (counting from another origin, or after editing the data), by their type followed by
//! the first element's id. A subfile runs to the next one or to the end of the data; declared
//! lengths are ignored, they are wrong as often as offsets and the separators delimit the
//! elements anyway.

use super::header::Header;
use super::record::{AamvaProblem, DocumentKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Subfile<'a> {
    pub kind: [u8; 2],
    /// Without the 2-character type.
    pub body: &'a [u8],
}

/// The subfiles of `data`, in the order of their position.
pub(super) fn locate<'a>(
    data: &'a [u8],
    header: &Header,
    problems: &mut Vec<AamvaProblem>,
) -> Vec<Subfile<'a>> {
    let mut starts: Vec<([u8; 2], usize)> = Vec::new();
    for designator in &header.designators {
        let kind = designator.kind;
        let declared = designator.offset;
        let at_declared = data.get(declared..declared + 2) == Some(&kind[..])
            && declared >= header.end
            && starts_element(data, declared + 2, kind);
        let found_at = if at_declared {
            Some(declared)
        } else {
            let found = search(data, header.end, kind);
            problems.push(AamvaProblem::SubfileMisplaced {
                subfile: super::elements::latin1(&kind),
                declared_offset: declared,
                found_at: found,
            });
            found
        };
        if let Some(start) = found_at {
            if !starts.iter().any(|&(_, other)| other == start) {
                starts.push((kind, start));
            }
        }
    }
    if !starts
        .iter()
        .any(|&(kind, _)| document_kind(kind).is_some())
    {
        let first_document = [*b"DL", *b"ID"]
            .into_iter()
            .filter_map(|kind| Some((kind, search(data, header.end, kind)?)))
            .min_by_key(|&(_, start)| start);
        starts.extend(first_document);
    }
    starts.sort_by_key(|&(_, start)| start);
    let ends = starts
        .iter()
        .skip(1)
        .map(|&(_, start)| start)
        .chain([data.len()]);
    starts
        .iter()
        .zip(ends)
        .filter_map(|(&(kind, start), end)| {
            Some(Subfile {
                kind,
                body: data.get(start + 2..end)?,
            })
        })
        .collect()
}

pub(super) fn document_kind(kind: [u8; 2]) -> Option<DocumentKind> {
    match &kind {
        b"DL" => Some(DocumentKind::DrivingLicence),
        b"ID" => Some(DocumentKind::IdCard),
        _ => None,
    }
}

/// The first place from `from` on where `kind` is followed by an element id of its subfile.
fn search(data: &[u8], from: usize, kind: [u8; 2]) -> Option<usize> {
    let tail = data.get(from..)?;
    tail.windows(2)
        .enumerate()
        .filter(|&(_, window)| window == kind)
        .map(|(index, _)| from + index)
        .find(|&start| starts_element(data, start + 2, kind))
}

/// Whether an element id of a `kind` subfile starts at `at`: the elements of the DL and ID
/// subfiles are D.., those of a jurisdiction's subfile ZX are ZX.
fn starts_element(data: &[u8], at: usize, kind: [u8; 2]) -> bool {
    let Some(&[first, second, third]) = data.get(at..at + 3) else {
        return false;
    };
    let id_char = |byte: u8| byte.is_ascii_uppercase() || byte.is_ascii_digit();
    let prefix_fits = match document_kind(kind) {
        Some(_) => first == b'D',
        None => [first, second] == kind,
    };
    prefix_fits && second.is_ascii_uppercase() && id_char(third)
}

#[cfg(test)]
mod tests {
    use super::super::header::{read_header, Header};
    use super::super::BarcodeError;
    use super::*;

    fn subfiles(data: &[u8]) -> Result<(Vec<Subfile<'_>>, Vec<AamvaProblem>), BarcodeError> {
        let mut problems = Vec::new();
        let header: Header = read_header(data, &mut problems)?;
        let subfiles = locate(data, &header, &mut problems);
        Ok((subfiles, problems))
    }

    #[test]
    fn subfiles_at_their_offsets() -> Result<(), BarcodeError> {
        let data = b"@\n\x1e\rANSI 636014100102DL00410012ZC00530008DLDAQ12345\n\rZCZCAX\n\r";
        let (found, problems) = subfiles(data)?;
        assert_eq!(
            found,
            [
                Subfile {
                    kind: *b"DL",
                    body: b"DAQ12345\n\r"
                },
                Subfile {
                    kind: *b"ZC",
                    body: b"ZCAX\n\r"
                }
            ]
        );
        assert_eq!(problems, []);
        Ok(())
    }

    #[test]
    fn wrong_offsets_are_searched_for_and_reported() -> Result<(), BarcodeError> {
        let data = b"@\n\x1e\rANSI 636014100102DL00390012ZC00990008DLDAQ12345\n\rZCZCAX\n\r";
        let (found, problems) = subfiles(data)?;
        assert_eq!(found.len(), 2);
        assert_eq!(
            found.first().map(|subfile| subfile.body),
            Some(&b"DAQ12345\n\r"[..])
        );
        assert_eq!(
            problems,
            [
                AamvaProblem::SubfileMisplaced {
                    subfile: "DL".into(),
                    declared_offset: 39,
                    found_at: Some(41)
                },
                AamvaProblem::SubfileMisplaced {
                    subfile: "ZC".into(),
                    declared_offset: 99,
                    found_at: Some(53)
                }
            ]
        );
        Ok(())
    }

    #[test]
    fn without_designators_the_document_subfile_is_searched_for() -> Result<(), BarcodeError> {
        let data = b"@\n\x1e\rANSI 6360141001\nIDDAQ1\nDCSX\r";
        let (found, _) = subfiles(data)?;
        assert_eq!(
            found,
            [Subfile {
                kind: *b"ID",
                body: b"DAQ1\nDCSX\r"
            }]
        );
        Ok(())
    }

    #[test]
    fn no_document_subfile() -> Result<(), BarcodeError> {
        let data = b"@\n\x1e\rANSI 636014100101ZC00310008ZCZCAX\n\r";
        let (found, problems) = subfiles(data)?;
        assert_eq!(
            found.iter().filter_map(|s| document_kind(s.kind)).count(),
            0
        );
        assert_eq!(problems, []);
        Ok(())
    }
}
