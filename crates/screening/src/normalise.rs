//! Names to comparable tokens: control characters out, every script transliterated to Latin
//! (any_ascii), accents and case folded, punctuation split, titles and legal forms set apart.
//! Lists and customers spell the same name in different scripts, cases and orders; comparison
//! happens on these tokens only.

use rphonetic::{DoubleMetaphone, Encoder};

/// The longest name screened, in characters. Real names are far shorter; a longer input is a
/// mistake or an attack on the matcher's time, and is refused rather than cut silently.
pub const MAX_NAME_CHARS: usize = 300;

/// Titles and honorifics: they say nothing about who a person is, and lists and customers
/// add or drop them freely.
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "sir",
    "dame",
    "lord",
    "lady",
    "sheikh",
    "shaikh",
    "shaykh",
    "sheik",
    "cheikh",
    "haji",
    "hajji",
    "hadji",
    "alhaji",
    "mullah",
    "mulla",
    "maulana",
    "maulvi",
    "mawlawi",
    "maulavi",
    "mawlavi",
    "qari",
    "imam",
    "sayyid",
    "syed",
    "general",
    "gen",
    "colonel",
    "col",
    "lt",
    "capt",
    "captain",
    "major",
    "brigadier",
    "admiral",
    "rev",
    "reverend",
    "hon",
    "jr",
    "sr",
    "ii",
    "iii",
];

/// Legal forms and the glue words of organisation names: shared by thousands of names, so a
/// match on them alone means nothing.
const LEGAL_FORMS: &[&str] = &[
    "ltd",
    "llc",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "co",
    "company",
    "limited",
    "plc",
    "llp",
    "lp",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "ooo",
    "zao",
    "oao",
    "pao",
    "tov",
    "fze",
    "fzco",
    "fzc",
    "fzllc",
    "pte",
    "pty",
    "sdn",
    "bhd",
    "kg",
    "kft",
    "ltda",
    "cv",
    "de cv",
    "and",
    "of",
    "the",
    "for",
    "est",
    "establishment",
    "trading",
    "enterprise",
    "enterprises",
    "group",
    "holding",
    "holdings",
    "international",
    "industrial",
    "industries",
];

/// Name particles (articles, "son of", prepositions): kept, but light, because they join
/// names of unrelated people and are often dropped or glued to the next word.
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "bint", "binti", "bn", "abu", "abd", "abdul", "abdel", "abdal",
    "de", "del", "della", "la", "le", "van", "von", "der", "den", "da", "dos", "das", "di", "du",
    "ben", "ould", "y", "e",
];

/// The role of a token in a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRole {
    /// A real name word.
    Name,
    /// A particle: matched, but weighs little.
    Particle,
}

pub fn is_honorific(token: &str) -> bool {
    HONORIFICS.contains(&token)
}

pub fn is_legal_form(token: &str) -> bool {
    LEGAL_FORMS.contains(&token)
}

pub fn role(token: &str) -> TokenRole {
    if PARTICLES.contains(&token) {
        TokenRole::Particle
    } else {
        TokenRole::Name
    }
}

/// The roles of a name's tokens in order. A particle leads into the word after it (`al
/// Tikriti`, `de Souza`); as the last word it is a name itself (`Tara Das`, `Ali Ben`).
pub fn roles<S: AsRef<str>>(tokens: &[S]) -> Vec<TokenRole> {
    let last = tokens.len().saturating_sub(1);
    tokens
        .iter()
        .enumerate()
        .map(|(at, token)| {
            if at == last {
                TokenRole::Name
            } else {
                role(token.as_ref())
            }
        })
        .collect()
}

/// Removes control and formatting characters (zero-width joiners, bidi marks) that are
/// invisible but break comparison.
pub fn strip_controls(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(*c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'))
        .collect()
}

/// True when the text has letters outside the Latin script.
pub fn has_non_latin(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_alphabetic() && !(c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c)))
}

/// The tokens of a name, in order, lower-case ASCII, with honorifics and legal forms removed.
/// Apostrophes join (`O'Brien` is `obrien`, `Qa'ida` is `qaida`); every other non-alphanumeric
/// character separates.
pub fn tokens(text: &str) -> Vec<String> {
    let clean = strip_controls(text);
    let ascii = any_ascii::any_ascii(&clean).to_ascii_lowercase();
    let mut out = Vec::new();
    let mut current = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            current.push(c);
        } else if c == '\'' || c == '`' {
            continue;
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    let out = join_initials(out);
    out.into_iter()
        .filter(|token| !is_honorific(token) && !is_legal_form(token))
        .collect()
}

/// Runs of two or more single letters are one abbreviation: `A.B.C.` is `abc`, `o.O.O.` is
/// `ooo` (and then a legal form), so that they compare with the written-together form.
fn join_initials(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.push(std::mem::take(run));
        }
    };
    for token in tokens {
        if token.len() == 1 && token.chars().all(|c| c.is_ascii_alphabetic()) {
            run.push_str(&token);
        } else {
            flush(&mut run, &mut out);
            out.push(token);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The phonetic key of a token (Double Metaphone, primary code): `mohammed` and `muhammad`
/// share `MHMT`. Empty for tokens without letters.
pub fn phonetic(token: &str) -> String {
    if !token.chars().any(|c| c.is_ascii_alphabetic()) {
        return String::new();
    }
    DoubleMetaphone::default().encode(token)
}

/// Similarity of two tokens, 0..1: Jaro-Winkler, lifted to 0.9 when they sound alike, and 0
/// below 0.8 or beyond a few edits (transpositions count one) (one for up to four letters, two for up to eight, three
/// beyond), where unrelated names sit: Jaro-Winkler alone rates `badr` 0.83 like `badege`, and
/// Double Metaphone alone hears `hassan` in `husayn`. Short tokens (three letters or fewer)
/// need 0.9: `ali` and `ala` are different names.
pub fn token_similarity(a: &str, b: &str, phonetic_a: &str, phonetic_b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let shortest = a.len().min(b.len());
    if shortest == 1 {
        // An initial against a full name: partial credit when it is that initial.
        let (initial, full) = if a.len() == 1 { (a, b) } else { (b, a) };
        return if full.len() > 1 && full.starts_with(initial) {
            0.8
        } else {
            0.0
        };
    }
    let longest = a.len().max(b.len());
    let allowed = match longest {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    // Optimal string alignment: a swap of two neighbouring letters (`adbul`) is one edit.
    if strsim::osa_distance(a, b) > allowed {
        return 0.0;
    }
    let mut similarity = strsim::jaro_winkler(a, b);
    // Three-letter keys are too coarse: `yan` and `yun` share one.
    if shortest >= 4 && !phonetic_a.is_empty() && phonetic_a == phonetic_b {
        similarity = similarity.max(0.9);
    }
    let floor = if shortest <= 3 { 0.9 } else { 0.8 };
    if similarity < floor {
        0.0
    } else {
        similarity
    }
}
