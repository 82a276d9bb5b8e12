//! The data elements of a subfile: a 3-character id, then the value, up to the data element
//! separator (LF). The standard ends the subfile with CR; issuers also separate elements with
//! CR or CR LF, so every one of LF, CR and RS ends an element.

use std::collections::BTreeMap;

const SEPARATORS: [u8; 3] = [b'\n', b'\r', 0x1e];

/// The elements of `body` (a subfile without its 2-character type), first occurrence first.
/// A piece that does not start with an id (an uppercase letter, then two uppercase letters or
/// digits) is not an element and is dropped: padding, or bytes after the last subfile.
pub(super) fn read_elements(body: &[u8], into: &mut BTreeMap<String, String>) {
    for piece in body.split(|byte| SEPARATORS.contains(byte)) {
        let piece = trim(piece);
        let [first, second, third, value @ ..] = piece else {
            continue;
        };
        let id_char = |byte: &u8| byte.is_ascii_uppercase() || byte.is_ascii_digit();
        if !first.is_ascii_uppercase() || !id_char(second) || !id_char(third) {
            continue;
        }
        let id = latin1(&[*first, *second, *third]);
        into.entry(id).or_insert_with(|| latin1(trim(value)));
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|byte| !byte.is_ascii_whitespace());
    let end = bytes.iter().rposition(|byte| !byte.is_ascii_whitespace());
    match (start, end) {
        (Some(start), Some(end)) => bytes.get(start..=end).unwrap_or_default(),
        _ => &[],
    }
}

/// The barcode's bytes are ISO 8859-1 (its first 128 characters are ASCII, which the standard
/// requires), and each byte is the character of the same number.
pub(super) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&byte| char::from(byte)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(body: &[u8]) -> BTreeMap<String, String> {
        let mut elements = BTreeMap::new();
        read_elements(body, &mut elements);
        elements
    }

    #[test]
    fn any_separator_ends_an_element_and_values_are_trimmed() {
        let read = elements(b"DAQ123 \nDCSSMITH\r\nDACJOHN\rDADNONE\x1eDAK12345  \r");
        let pairs: Vec<(&str, &str)> = read
            .iter()
            .map(|(id, value)| (id.as_str(), value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("DAC", "JOHN"),
                ("DAD", "NONE"),
                ("DAK", "12345"),
                ("DAQ", "123"),
                ("DCS", "SMITH")
            ]
        );
    }

    #[test]
    fn the_first_occurrence_wins_and_junk_is_dropped() {
        let read = elements(b"DAQ1\nDAQ2\nxx\n\n12\nDA\nDBC1\n");
        assert_eq!(read.get("DAQ").map(String::as_str), Some("1"));
        assert_eq!(read.get("DBC").map(String::as_str), Some("1"));
        assert_eq!(read.len(), 2);
    }

    #[test]
    fn latin1_bytes_become_their_characters() {
        let read = elements(b"DCSB\xc9LANGER\n");
        assert_eq!(read.get("DCS").map(String::as_str), Some("BÉLANGER"));
    }
}
