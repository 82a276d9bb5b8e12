//! The characters OCR engines mistake for one another in the OCR-B font of the MRZ. Each group
//! holds at most one digit, listed first, so that in a position known to hold digits (or
//! letters) the group says which character was printed.

/// O, D and Q all lose their corners or tail to 0; I to 1; Z to 2; S to 5; G to 6; B to 8.
const GROUPS: [&[u8]; 6] = [b"0ODQ", b"1I", b"2Z", b"5S", b"6G", b"8B"];

/// The letter OCR most often reads for the filler '<': the chevron's two strokes.
pub(super) const FILLER_MISREAD: u8 = b'K';

fn group_of(byte: u8) -> Option<&'static [u8]> {
    GROUPS.iter().copied().find(|group| group.contains(&byte))
}

/// The digit a letter stands for where only digits can be printed.
pub(super) fn as_digit(byte: u8) -> Option<u8> {
    if !byte.is_ascii_uppercase() {
        return None;
    }
    group_of(byte).and_then(|group| group.first().copied())
}

/// The letter a digit stands for where only letters can be printed; for 0, the O.
pub(super) fn as_letter(byte: u8) -> Option<u8> {
    if !byte.is_ascii_digit() {
        return None;
    }
    group_of(byte).and_then(|group| group.get(1).copied())
}

/// Every character `byte` may have been printed as, itself included; empty when OCR does not
/// confuse it.
pub(super) fn lookalikes(byte: u8) -> &'static [u8] {
    group_of(byte).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_map_to_digits_and_back() {
        for (letter, digit) in [
            (b'O', b'0'),
            (b'D', b'0'),
            (b'Q', b'0'),
            (b'I', b'1'),
            (b'Z', b'2'),
            (b'S', b'5'),
            (b'G', b'6'),
            (b'B', b'8'),
        ] {
            assert_eq!(as_digit(letter), Some(digit));
            assert_eq!(as_digit(digit), None);
        }
        assert_eq!(as_letter(b'0'), Some(b'O'));
        assert_eq!(as_letter(b'8'), Some(b'B'));
        assert_eq!(as_letter(b'3'), None);
        assert_eq!(as_letter(b'O'), None);
        assert_eq!(as_digit(b'X'), None);
        assert_eq!(as_digit(b'<'), None);
    }

    #[test]
    fn lookalikes_are_symmetric() {
        for group in GROUPS {
            for &byte in group {
                assert_eq!(lookalikes(byte), group);
            }
        }
        assert!(lookalikes(b'X').is_empty());
        assert!(lookalikes(b'<').is_empty());
    }
}
