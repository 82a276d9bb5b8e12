//! AAMVA payloads for the tests, laid out as the standard says: header, designators with the
//! true offsets and lengths, subfiles of LF-terminated elements ended by CR.

/// A subfile: its type ("DL", "ID", "ZC") and elements (id, value).
pub(super) type SubfileSpec<'a> = (&'a str, &'a [(&'a str, &'a str)]);

/// The data of a barcode of `version` by issuer `iin`, with `subfiles` in order. From version 2
/// on the header carries jurisdiction version 1.
pub(super) fn payload(version: u8, iin: &str, subfiles: &[SubfileSpec<'_>]) -> String {
    let bodies: Vec<String> = subfiles
        .iter()
        .map(|(kind, elements)| {
            let elements: Vec<String> = elements
                .iter()
                .map(|(id, value)| format!("{id}{value}"))
                .collect();
            format!("{kind}{}\r", elements.join("\n"))
        })
        .collect();
    let jurisdiction_version = if version >= 2 { "01" } else { "" };
    let mut header = format!(
        "@\n\x1e\rANSI {iin}{version:02}{jurisdiction_version}{:02}",
        subfiles.len()
    );
    let mut offset = header.len() + 10 * subfiles.len();
    for ((kind, _), body) in subfiles.iter().zip(&bodies) {
        header.push_str(&format!("{kind}{offset:04}{:04}", body.len()));
        offset += body.len();
    }
    header + &bodies.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_lengths_point_at_the_subfiles() {
        let data = payload(
            10,
            "636014",
            &[
                ("DL", &[("DAQ", "1"), ("DCS", "X")]),
                ("ZC", &[("ZCA", "Y")]),
            ],
        );
        assert_eq!(
            data,
            "@\n\x1e\rANSI 636014100102DL00410012ZC00530007DLDAQ1\nDCSX\rZCZCAY\r"
        );
        assert_eq!(data.get(41..43), Some("DL"));
        assert_eq!(data.get(53..55), Some("ZC"));
        assert_eq!(data.len(), 60);
    }
}
