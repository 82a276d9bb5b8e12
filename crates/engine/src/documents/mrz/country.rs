//! State codes (issuing state, nationality): three letters from ICAO 9303 part 3, which are the
//! ISO 3166-1 alpha-3 codes plus ICAO's own (GBD, UNO, XXX for unspecified, EUE, RKS, ...),
//! padded with '<' when shorter. The only shorter one is Germany's 'D'.
//!
//! Note for callers: 'UTO' ("Utopia") is the fictional state of ICAO's specimens, and other
//! specimens ship with real states' codes. An MRZ from 'UTO' is a sample, never a real document;
//! [`is_specimen_state`] tells it, and refusing it is a policy for the caller.

/// The code as ISO 3166-1 alpha-3 spells it where ICAO's differs: 'D' is 'DEU'. Every other code
/// is returned as printed (ICAO's own codes have no ISO equivalent).
pub fn alpha3(code: &str) -> &str {
    match code {
        "D" => "DEU",
        other => other,
    }
}

/// Whether `code` is ICAO's fictional state of Utopia, used only on specimens.
pub fn is_specimen_state(code: &str) -> bool {
    code == "UTO"
}

/// The code as printed, without its padding.
pub(super) fn printed(code: &[u8]) -> String {
    code.iter()
        .copied()
        .filter(|&byte| byte != b'<')
        .map(char::from)
        .collect()
}

/// Positions of letters read in the padding, to be read as '<': no code has a letter after a
/// filler ('D<<' read as 'D<K').
pub(super) fn padding_misreads(code: &[u8]) -> Vec<usize> {
    let Some(padding) = code.iter().position(|&byte| byte == b'<') else {
        return Vec::new();
    };
    (padding..code.len())
        .filter(|&index| code.get(index).is_some_and(u8::is_ascii_uppercase))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn germany_is_the_one_short_code() {
        assert_eq!(alpha3("D"), "DEU");
        assert_eq!(alpha3("UTO"), "UTO");
        assert_eq!(alpha3("FRA"), "FRA");
        assert_eq!(alpha3("XXX"), "XXX");
    }

    #[test]
    fn utopia_is_a_specimen() {
        assert!(is_specimen_state("UTO"));
        assert!(!is_specimen_state("D"));
        assert!(!is_specimen_state("uto"));
    }

    #[test]
    fn strips_padding_and_finds_letters_in_it() {
        assert_eq!(printed(b"D<<"), "D");
        assert_eq!(printed(b"UTO"), "UTO");
        assert_eq!(padding_misreads(b"D<K"), [2]);
        assert_eq!(padding_misreads(b"<KC"), [1, 2]);
        assert!(padding_misreads(b"DKK").is_empty());
        assert!(padding_misreads(b"D<<").is_empty());
    }
}
