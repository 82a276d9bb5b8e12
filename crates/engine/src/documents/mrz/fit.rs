//! From what the recogniser printed to lines the parser takes: its look-alike characters
//! mapped to the MRZ alphabet, and a line one to three characters off its format's length
//! made that length in the ways OCR gets it wrong.
//!
//! The recogniser reads runs of fillers by counting columns (CTC merges repeated characters
//! unless it sees a gap between them), so a run of '<' is where a line most often gains or
//! loses characters. Each way of lengthening or shortening a run is a variant; the check
//! digits choose among them.

/// How far from its format's length a line may be and still be fitted.
pub(super) const MAX_LENGTH_ERROR: usize = 3;

/// The recogniser's output in the MRZ alphabet. Its dictionary is Chinese and Latin, so a
/// glyph of OCR-B can come out as a full-width form, a multiplication sign for X, a guillemet
/// or bracket for '<'. Whitespace is dropped; any other character becomes '<', which keeps the
/// line's length (one glyph read as one wrong character) and fails a check digit if it matters.
pub(super) fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            let c = match u32::from(c) {
                // Full-width ASCII forms.
                0xFF01..=0xFF5E => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            match c {
                'A'..='Z' | '0'..='9' | '<' => c,
                'a'..='z' => c.to_ascii_uppercase(),
                '×' | 'χ' | 'Χ' => 'X',
                'Ο' | 'о' | 'О' => 'O',
                _ => '<',
            }
        })
        .collect()
}

/// The maximal runs of '<' in `line`, as (start, length).
fn filler_runs(line: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut index = 0;
    while index < line.len() {
        if line.get(index) == Some(&b'<') {
            let start = index;
            while line.get(index) == Some(&b'<') {
                index += 1;
            }
            runs.push((start, index - start));
        } else {
            index += 1;
        }
    }
    runs
}

/// The ways to make `line` exactly `length` characters long, most likely first; empty when it
/// is too far off.
pub(super) fn variants(line: &str, length: usize) -> Vec<String> {
    let bytes = line.as_bytes();
    let current = bytes.len();
    if current == length {
        return vec![line.to_owned()];
    }
    if current.abs_diff(length) > MAX_LENGTH_ERROR {
        return Vec::new();
    }
    let runs = filler_runs(bytes);
    let mut found: Vec<Vec<u8>> = Vec::new();
    if current < length {
        let missing = length - current;
        // The last run first: trailing fillers are the longest runs.
        for &(start, _) in runs.iter().rev() {
            let mut variant = bytes.to_vec();
            variant.splice(start..start, std::iter::repeat_n(b'<', missing));
            found.push(variant);
        }
        let mut padded = bytes.to_vec();
        padded.extend(std::iter::repeat_n(b'<', missing));
        found.push(padded);
    } else {
        let extra = current - length;
        for &(start, run_length) in runs.iter().rev() {
            if run_length >= extra {
                let mut variant = bytes.to_vec();
                variant.drain(start..start + extra);
                found.push(variant);
            }
        }
        found.push(bytes.get(..length).unwrap_or(bytes).to_vec());
    }
    let mut unique: Vec<String> = Vec::new();
    for variant in found {
        let text = String::from_utf8_lossy(&variant).into_owned();
        if !unique.contains(&text) {
            unique.push(text);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_look_alikes_to_the_mrz_alphabet() {
        assert_eq!(normalise("d66×S«‹<0GBR ３5"), "D66XS<<<0GBR35");
        assert_eq!(normalise("AB°C"), "AB<C");
    }

    #[test]
    fn lengthens_and_shortens_runs_of_fillers() {
        assert_eq!(variants("AB<<C<<", 7), ["AB<<C<<"]);
        assert_eq!(variants("AB<<C<", 7), ["AB<<C<<", "AB<<<C<"]);
        assert_eq!(variants("AB<<C<<<", 7), ["AB<<C<<", "AB<C<<<"]);
        assert!(variants("AB", 7).is_empty());
    }
}
