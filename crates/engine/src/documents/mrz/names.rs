//! The name field (part 3, 4.6): the primary identifier (surname), '<<', then the secondary
//! identifier (given names), the components of each separated by single '<', and fillers to the
//! end. A name too long for the field is truncated and may fill it.

/// Where the first "<<" starts in `field`, if anywhere.
fn double_filler(field: &[u8]) -> Option<usize> {
    field.windows(2).position(|pair| pair == b"<<")
}

/// The words of `bytes`, split on fillers, joined by single spaces.
fn words(bytes: &[u8]) -> String {
    bytes
        .split(|&byte| byte == b'<')
        .filter(|word| !word.is_empty())
        .map(|word| word.iter().copied().map(char::from).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The surname and the given names, each with its components separated by spaces. Everything
/// after the first "<<" is given names, a second "<<" included: ICAO puts none there, so one read
/// there is more likely a misread single '<' than a reason to drop a name.
pub(super) fn split(field: &[u8]) -> (String, String) {
    match double_filler(field) {
        Some(at) => (
            words(field.get(..at).unwrap_or_default()),
            words(field.get(at + 2..).unwrap_or_default()),
        ),
        None => (words(field), String::new()),
    }
}

/// Positions of letters that OCR read in the run of fillers after the names, to be read as '<'.
///
/// The fillers start at the first "<<" after the one that ends the surname (the given names'
/// components are separated by single '<'). Only letters standing alone there are taken for
/// misread fillers: a run of two letters or more is kept as a name.
pub(super) fn filler_misreads(field: &[u8]) -> Vec<usize> {
    let Some(surname_end) = double_filler(field) else {
        return Vec::new();
    };
    let given_names = surname_end + 2;
    let Some(fillers) = field
        .get(given_names..)
        .and_then(double_filler)
        .map(|offset| given_names + offset)
    else {
        return Vec::new();
    };
    let is_filler = |index: Option<usize>| {
        index
            .and_then(|index| field.get(index))
            .is_none_or(|&byte| byte == b'<')
    };
    (fillers..field.len())
        .filter(|&index| {
            field.get(index).is_some_and(u8::is_ascii_uppercase)
                && is_filler(index.checked_sub(1))
                && is_filler(Some(index + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_str(field: &str) -> (String, String) {
        split(field.as_bytes())
    }

    fn pair(surname: &str, given_names: &str) -> (String, String) {
        (surname.to_owned(), given_names.to_owned())
    }

    #[test]
    fn splits_surname_and_given_names() {
        assert_eq!(
            split_str("ERIKSSON<<ANNA<MARIA<<<<<<<<<<"),
            pair("ERIKSSON", "ANNA MARIA")
        );
        assert_eq!(
            split_str("VAN<NIEUWENHUIZEN<<GERARD<ROBBERT<MARTI"),
            pair("VAN NIEUWENHUIZEN", "GERARD ROBBERT MARTI")
        );
        assert_eq!(split_str("ERIKSSON<<<<<<<<"), pair("ERIKSSON", ""));
        assert_eq!(split_str("SMITH<<J<<<<<<<<<"), pair("SMITH", "J"));
    }

    #[test]
    fn a_truncated_name_without_separator_is_all_surname() {
        assert_eq!(
            split_str("HOFFMANNSTEINBERGERMEYER<JOHANNES"),
            pair("HOFFMANNSTEINBERGERMEYER JOHANNES", "")
        );
        assert_eq!(split_str("<<<<<<<<"), pair("", ""));
        assert_eq!(split_str(""), pair("", ""));
    }

    #[test]
    fn given_names_after_a_second_separator_are_kept() {
        assert_eq!(
            split_str("ERIKSSON<<ANNA<<MARIA<<<<"),
            pair("ERIKSSON", "ANNA MARIA")
        );
    }

    #[test]
    fn finds_letters_standing_alone_among_the_fillers() {
        let field = b"ERIKSSON<<ANNA<MARIA<<<K<<<<C<<K";
        assert_eq!(filler_misreads(field), [23, 28, 31]);
        // A given name of one letter is a name, not a filler.
        assert!(filler_misreads(b"SMITH<<JOHN<K<<<<").is_empty());
        assert!(filler_misreads(b"SMITH<<K<<<<").is_empty());
        // Two letters together are kept.
        assert!(filler_misreads(b"SMITH<<JOHN<<<KK<<").is_empty());
        // With no given names, the fillers start right after the surname.
        assert_eq!(filler_misreads(b"ERIKSSON<<<<K<<"), [12]);
        assert!(filler_misreads(b"ERIKSSONANNAMARIA").is_empty());
    }
}
