//! Specimen documents: the samples states and ICAO publish, which fraudsters and testers upload.
//! They are recognised by ICAO's test state, by the words printed on them, and by the names and
//! numbers that the best-known specimens carry.

/// Holders' names of widely published specimens (ICAO 9303's examples, Germany's Mustermann,
/// the Netherlands' De Bruijn, the UK's Specimen, ...), as the MRZ prints them.
const SPECIMEN_NAMES: [&str; 8] = [
    "ERIKSSON ANNA MARIA",
    "MUSTERMANN ERIKA",
    "MUSTERMANN",
    "SPECIMEN",
    "SPECIMEN SPECIMEN",
    "DE BRUIJN WILLEKE LISELOTTE",
    "SAMPLE",
    "MUSTERFRAU",
];

/// Document numbers of the same specimens.
const SPECIMEN_NUMBERS: [&str; 6] = [
    "L898902C3",
    "D23145890",
    "C01X00T47",
    "T22000129",
    "SPECI2014",
    "XI85935F8",
];

/// Words that specimens print across their face.
const SPECIMEN_WORDS: [&str; 5] = ["SPECIMEN", "MUSTER", "SAMPLE", "SPECIMAN", "VOID"];

/// Whether the document's data says it is a specimen.
pub fn is_specimen(issuing_state: &str, surname: &str, given_names: &str, number: &str) -> bool {
    let name = format!("{surname} {given_names}").trim().to_uppercase();
    super::mrz::is_specimen_state(issuing_state)
        || SPECIMEN_NAMES.iter().any(|specimen| name == *specimen)
        || SPECIMEN_WORDS
            .iter()
            .any(|word| surname.eq_ignore_ascii_case(word))
        || SPECIMEN_NUMBERS.contains(&number)
}

/// Whether text read from the document's face carries a specimen marking.
pub fn has_specimen_marking<'a>(lines: impl IntoIterator<Item = &'a str>) -> bool {
    lines.into_iter().any(|line| {
        let upper = line.to_uppercase();
        upper
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|word| SPECIMEN_WORDS.contains(&word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_and_national_specimens_are_recognised() {
        assert!(is_specimen("UTO", "ANY", "ONE", "X1"));
        assert!(is_specimen("SWE", "ERIKSSON", "ANNA MARIA", "X1"));
        assert!(is_specimen("D", "MUSTERMANN", "ERIKA", "T22000129"));
        assert!(is_specimen("NLD", "HOLDER", "A", "SPECI2014"));
        assert!(!is_specimen("SWE", "LINDQVIST", "KARIN", "X12345678"));
        assert!(has_specimen_marking(["REPUBLIC OF X", "specimen"]));
        assert!(!has_specimen_marking(["PASSPORT", "SURNAME"]));
    }
}
