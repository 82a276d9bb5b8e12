use std::io::Read;

use flate2::read::ZlibDecoder;

use super::InspectError;

/// lopdf inflates object and cross-reference streams while it loads, without a limit: a PDF of
/// a few kilobytes can hold a stream that inflates to gigabytes. So every stream that inflates
/// is inflated here first, counting, and a PDF whose streams together pass this is refused
/// before lopdf sees it. An identity document's PDF is a few pages of scans: far under it.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Bytes `data` inflates to (zlib), reading at most `limit + 1`; 0 when it is not zlib data.
fn inflated_size(data: &[u8], limit: u64) -> u64 {
    let mut decoder = ZlibDecoder::new(data).take(limit.saturating_add(1));
    let mut buffer = [0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        match decoder.read(&mut buffer) {
            Ok(0) | Err(_) => return total,
            Ok(read) => total += read as u64,
        }
    }
}

/// Refuses a PDF whose streams inflate to more than `budget` bytes in all.
fn check_inflation(bytes: &[u8], budget: u64) -> Result<(), InspectError> {
    let mut total = 0u64;
    let mut rest = bytes;
    while let Some(start) = find(rest, b"stream") {
        let mut data = &rest[start + b"stream".len()..];
        data = data.strip_prefix(b"\r").unwrap_or(data);
        data = data.strip_prefix(b"\n").unwrap_or(data);
        let end = find(data, b"endstream").unwrap_or(data.len());
        total += inflated_size(&data[..end], budget - total.min(budget));
        if total > budget {
            return Err(InspectError::Corrupt(format!(
                "the PDF's streams inflate to more than {} MB",
                budget / (1024 * 1024)
            )));
        }
        rest = &data[end..];
        rest = rest.strip_prefix(b"endstream").unwrap_or(rest);
    }
    Ok(())
}

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
    check_inflation(bytes, MAX_INFLATED_BYTES)?;
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
    use flate2::write::ZlibEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn pdf_with_stream(inflated: usize) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        let mut left = inflated;
        while left > 0 {
            let chunk = left.min(zeros.len());
            let _ = encoder.write_all(&zeros[..chunk]);
            left -= chunk;
        }
        let data = encoder.finish().unwrap_or_default();
        let mut pdf = format!(
            "%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
            data.len()
        )
        .into_bytes();
        pdf.extend_from_slice(&data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        pdf
    }

    #[test]
    fn refuses_a_pdf_whose_streams_inflate_beyond_the_budget() {
        // 200 MB of zeros in about 200 KB: refused before lopdf inflates it.
        let bomb = pdf_with_stream(200 * 1024 * 1024);
        assert!(bomb.len() < 1024 * 1024);
        let refused = inspect_pdf(&bomb);
        assert!(
            matches!(&refused, Err(InspectError::Corrupt(message)) if message.contains("inflate")),
            "{refused:?}"
        );
        // A stream within the budget passes this check (and fails later as no real PDF).
        assert_eq!(
            check_inflation(&pdf_with_stream(1024 * 1024), MAX_INFLATED_BYTES),
            Ok(())
        );
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
