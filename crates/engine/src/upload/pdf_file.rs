use super::InspectError;

/// lopdf inflates object and cross-reference streams while it loads; each is inflated against
/// this limit inside the decompressor (lopdf 0.47's `max_decompressed_size`), so a stream of a
/// few kilobytes cannot become gigabytes, whatever its bytes say about where it ends. An
/// identity document's PDF is a few pages of scans: its object streams are far under it.
/// lopdf also bounds nesting to 100 levels. What it does not bound (the memory of the object
/// tree, the time) is bounded by running this in the server's PDF sandbox, a child process.
pub const MAX_INFLATED_BYTES: usize = 64 * 1024 * 1024;

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
    let options = lopdf::LoadOptions::with_max_decompressed_size(MAX_INFLATED_BYTES);
    let document = lopdf::Document::load_mem_with_options(bytes, options)
        .map_err(|error| InspectError::Corrupt(with_causes(&error)))?;
    let pages = document.get_pages().len();
    if pages == 0 {
        return Err(InspectError::Corrupt("the PDF has no pages".to_owned()));
    }
    Ok(PdfInfo { pages })
}

/// lopdf's errors name their kind ("couldn't decompress stream") and keep the reason (the
/// limit) as their source.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::super::hostile::{pdf_with, pdf_with_object_stream, stored_block_bomb, zlib};
    use super::*;

    fn refused_at_the_limit(pdf: &[u8]) {
        let refused = inspect_pdf(pdf);
        assert!(
            matches!(&refused, Err(InspectError::Corrupt(message)) if message.contains("limit")),
            "{refused:?}"
        );
    }

    #[test]
    fn a_stream_that_inflates_beyond_the_limit_is_refused_while_inflating() {
        // 200 MB of zeros in about 200 KB.
        let bomb = pdf_with_object_stream(&zlib(&vec![0u8; 200 << 20]));
        assert!(bomb.len() < 1 << 20);
        refused_at_the_limit(&bomb);
    }

    #[test]
    fn a_stream_whose_stored_block_says_endstream_is_inflated_with_the_limit_too() {
        let bomb = pdf_with_object_stream(&stored_block_bomb(300 << 20));
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        refused_at_the_limit(&bomb);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for (open, close) in [("[", "]"), ("<< /A ", ">>")] {
            let deep = format!("{}{}", open.repeat(100_000), close.repeat(100_000));
            let result = inspect_pdf(&pdf_with(&deep));
            assert!(
                matches!(result, Err(InspectError::Corrupt(_))),
                "{result:?}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_a_pdf() {
        assert_eq!(inspect_pdf(b"hello"), Err(InspectError::NotAPdf));
        assert!(matches!(
            inspect_pdf(b"%PDF-1.4\n garbage"),
            Err(InspectError::Corrupt(_))
        ));
    }
}
