//! The holder's names, which moved between versions: version 1 prints the whole name in DAA
//! ("LAST,FIRST,MIDDLE") or in DAB, DAC and DAD; versions 2 and 3 the family name in DCS and
//! the given names together in DCT; version 4 on DCS, DAC and DAD. Issuers mix these, so each
//! name is taken from wherever it is, the separate elements first.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Names {
    pub first: Option<String>,
    pub middle: Option<String>,
    pub last: Option<String>,
    pub suffix: Option<String>,
}

pub(super) fn names(elements: &BTreeMap<String, String>) -> Names {
    let element = |id: &str| elements.get(id).and_then(|value| present(value));
    let full = element("DAA").map(|full| split_full_name(&full));
    let given = element("DCT").map(|given| split_given_names(&given));
    let from_full =
        |part: fn(&Names) -> &Option<String>| full.as_ref().and_then(|full| part(full).clone());
    Names {
        last: element("DCS")
            .or_else(|| element("DAB"))
            .or_else(|| from_full(|names| &names.last)),
        first: element("DAC")
            .or_else(|| given.as_ref().and_then(|(first, _)| first.clone()))
            .or_else(|| from_full(|names| &names.first)),
        middle: element("DAD")
            .or_else(|| given.as_ref().and_then(|(_, middle)| middle.clone()))
            .or_else(|| from_full(|names| &names.middle)),
        suffix: element("DCU")
            .or_else(|| element("DAE"))
            .or_else(|| from_full(|names| &names.suffix)),
    }
}

/// `value` with single spaces, or `None` for what AAMVA prints for no value: nothing, "NONE",
/// or "unavl" (unavailable).
pub(super) fn present(value: &str) -> Option<String> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let absent = value.is_empty()
        || value.eq_ignore_ascii_case("NONE")
        || value.eq_ignore_ascii_case("unavl");
    (!absent).then_some(value)
}

/// DAA, family name first: "LAST,FIRST,MIDDLE[,SUFFIX]" as the 2000 standard has it, or the
/// same order separated by spaces, as some issuers print it. With spaces a family name of
/// several words ("DE LA CRUZ") cannot be told apart and only its first word is taken as such;
/// no separator can fix that, so it is accepted. A suffix is recognised only with commas.
fn split_full_name(full: &str) -> Names {
    let parts: Vec<&str> = if full.contains(',') {
        full.split(',').map(str::trim).collect()
    } else {
        full.split_whitespace().collect()
    };
    let part = |index: usize| parts.get(index).and_then(|part| present(part));
    let with_commas = full.contains(',');
    let (middle, suffix) = match parts.get(2..) {
        Some([middle @ .., suffix]) if with_commas && is_suffix(suffix) => {
            (present(&middle.join(" ")), present(suffix))
        }
        Some(rest) => (present(&rest.join(" ")), None),
        None => (None, None),
    };
    Names {
        last: part(0),
        first: part(1),
        middle,
        suffix,
    }
}

fn is_suffix(part: &str) -> bool {
    // Not "V": a middle initial more often than a fifth.
    const SUFFIXES: [&str; 9] = ["JR", "SR", "II", "III", "IV", "1ST", "2ND", "3RD", "4TH"];
    let part = part.trim().trim_end_matches('.');
    SUFFIXES
        .iter()
        .any(|suffix| part.eq_ignore_ascii_case(suffix))
}

/// DCT: the first given name, then the others, separated by commas or spaces.
fn split_given_names(given: &str) -> (Option<String>, Option<String>) {
    let separator = |c: char| c == ',' || c.is_whitespace();
    let mut parts = given.split(separator).filter(|part| !part.is_empty());
    let first = parts.next().and_then(present);
    let middle = present(&parts.collect::<Vec<_>>().join(" "));
    (first, middle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(elements: &[(&str, &str)]) -> Names {
        let elements = elements
            .iter()
            .map(|&(id, value)| (id.to_owned(), value.to_owned()))
            .collect();
        names(&elements)
    }

    fn some(value: &str) -> Option<String> {
        Some(value.to_owned())
    }

    #[test]
    fn version_4_on_separate_elements() {
        let names = read(&[("DCS", "SAMPLE"), ("DAC", "ANNA"), ("DAD", "MARIE LOUISE")]);
        assert_eq!(names.last, some("SAMPLE"));
        assert_eq!(names.first, some("ANNA"));
        assert_eq!(names.middle, some("MARIE LOUISE"));
        assert_eq!(names.suffix, None);
    }

    #[test]
    fn none_and_unavl_are_no_names() {
        let names = read(&[
            ("DCS", "SAMPLE"),
            ("DAC", "ANNA"),
            ("DAD", "NONE"),
            ("DCU", "unavl"),
        ]);
        assert_eq!(names.middle, None);
        assert_eq!(names.suffix, None);
    }

    #[test]
    fn version_2_and_3_given_names_together() {
        let names = read(&[("DCS", "SAMPLE"), ("DCT", "ANNA,MARIE LOUISE")]);
        assert_eq!(names.first, some("ANNA"));
        assert_eq!(names.middle, some("MARIE LOUISE"));
        let names = read(&[("DCS", "SAMPLE"), ("DCT", "ANNA")]);
        assert_eq!(names.first, some("ANNA"));
        assert_eq!(names.middle, None);
    }

    #[test]
    fn version_1_full_name_with_commas() {
        let names = read(&[("DAA", "PUBLIC,JOHN,QUINCY,JR")]);
        assert_eq!(names.last, some("PUBLIC"));
        assert_eq!(names.first, some("JOHN"));
        assert_eq!(names.middle, some("QUINCY"));
        assert_eq!(names.suffix, some("JR"));
        let names = read(&[("DAA", "PUBLIC, JOHN")]);
        assert_eq!(names.first, some("JOHN"));
        assert_eq!(names.middle, None);
    }

    #[test]
    fn version_1_full_name_with_spaces() {
        let names = read(&[("DAA", "PUBLIC JOHN QUINCY ADAMS")]);
        assert_eq!(names.last, some("PUBLIC"));
        assert_eq!(names.first, some("JOHN"));
        assert_eq!(names.middle, some("QUINCY ADAMS"));
        assert_eq!(names.suffix, None);
    }

    #[test]
    fn separate_elements_win_over_the_full_name() {
        let names = read(&[
            ("DAA", "PUBLIC,JOHN,Q"),
            ("DAB", "PUBLIQUE"),
            ("DAE", "III"),
        ]);
        assert_eq!(names.last, some("PUBLIQUE"));
        assert_eq!(names.first, some("JOHN"));
        assert_eq!(names.middle, some("Q"));
        assert_eq!(names.suffix, some("III"));
    }

    #[test]
    fn no_names_at_all() {
        assert_eq!(read(&[("DAQ", "1")]), Names::default());
        assert_eq!(read(&[("DAA", ",,")]), Names::default());
    }
}
