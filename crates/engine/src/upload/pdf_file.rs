use super::InspectError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfInfo {
    pub pages: usize,
}

/// Checks that `bytes` are a PDF that parses and has at least one page.
pub fn inspect_pdf(bytes: &[u8]) -> Result<PdfInfo, InspectError> {
    if bytes.is_empty() {
        return Err(InspectError::Empty);
    }
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|window| window == b"%PDF-") {
        return Err(InspectError::NotAPdf);
    }
    let document = lopdf::Document::load_mem(bytes)
        .map_err(|error| InspectError::Corrupt(error.to_string()))?;
    let pages = document.get_pages().len();
    if pages == 0 {
        return Err(InspectError::Corrupt("the PDF has no pages".to_owned()));
    }
    Ok(PdfInfo { pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_pdf() {
        assert_eq!(inspect_pdf(b"hello"), Err(InspectError::NotAPdf));
        assert!(matches!(
            inspect_pdf(b"%PDF-1.4\n garbage"),
            Err(InspectError::Corrupt(_))
        ));
    }
}
