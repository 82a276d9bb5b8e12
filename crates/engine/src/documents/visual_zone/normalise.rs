//! Text as the comparison sees it: the spellings two readings of one value share.

/// How a machine-readable name spells a letter with a diacritic: ICAO's transliteration
/// expands umlauts (Ä as AE), and many issuers, and barcodes, drop the marks (Ä as A).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Folding {
    Expanded,
    Stripped,
}

/// Upper-case letters only, accented Latin letters folded as the MRZ transliterates them.
pub(super) fn letters(text: &str) -> String {
    letters_folded(text, Folding::Expanded)
}

/// Upper-case letters only, accented Latin letters folded as `folding` says.
pub(super) fn letters_folded(text: &str, folding: Folding) -> String {
    let expand = folding == Folding::Expanded;
    let mut out = String::new();
    for c in text.to_uppercase().chars() {
        match c {
            'A'..='Z' => out.push(c),
            'Ä' | 'Æ' if expand => out.push_str("AE"),
            'Ö' | 'Ø' | 'Œ' if expand => out.push_str("OE"),
            'Ü' if expand => out.push_str("UE"),
            'Å' if expand => out.push_str("AA"),
            'Ä' | 'Å' => out.push('A'),
            'Æ' => out.push_str("AE"),
            'Ö' | 'Ø' => out.push('O'),
            'Œ' => out.push_str("OE"),
            'Ü' => out.push('U'),
            'ß' => out.push_str("SS"),
            'À' | 'Á' | 'Â' | 'Ã' => out.push('A'),
            'Ç' => out.push('C'),
            'È' | 'É' | 'Ê' | 'Ë' => out.push('E'),
            'Ì' | 'Í' | 'Î' | 'Ï' => out.push('I'),
            'Ñ' => out.push('N'),
            'Ò' | 'Ó' | 'Ô' | 'Õ' => out.push('O'),
            'Ù' | 'Ú' | 'Û' => out.push('U'),
            'Ý' | 'Ÿ' => out.push('Y'),
            _ => {}
        }
    }
    out
}

/// Letters and digits, with the glyphs OCR confuses in numbers made one.
pub(super) fn number_key(text: &str) -> String {
    text.to_uppercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c {
            'O' | 'Q' | 'D' => '0',
            'I' | 'L' => '1',
            'Z' => '2',
            'S' => '5',
            'B' => '8',
            _ => c,
        })
        .collect()
}

pub(super) fn words(text: &str) -> Vec<String> {
    text.to_uppercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row.get(j + 1).copied().unwrap_or(0);
            let insertion = row.get(j).copied().unwrap_or(0) + 1;
            let deletion = previous + 1;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = substitution.min(insertion).min(deletion);
            }
        }
    }
    row.last().copied().unwrap_or(0)
}
