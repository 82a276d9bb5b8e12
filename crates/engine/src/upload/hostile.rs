//! PDFs built to hurt a parser, for the tests of every layer that must refuse them (the
//! engine's inspection, the server's sandbox). Deflate data is written by flate2; the PDF
//! structure around it is the smallest a parser loads.

use std::io::Write;

use flate2::write::{DeflateEncoder, ZlibEncoder};
use flate2::Compression;

/// zlib data that begins with a stored (uncompressed) deflate block holding the word
/// "endstream", then inflates to `zeros` zero bytes: a scan for the word stopped there and let
/// the rest inflate unchecked. The Adler-32 is left zero: a limit stops inflation before it.
pub fn stored_block_bomb(zeros: usize) -> Vec<u8> {
    let word = b"endstream\n";
    let length = word.len() as u16;
    let mut data = vec![0x78, 0x01, 0x00];
    data.extend_from_slice(&length.to_le_bytes());
    data.extend_from_slice(&(!length).to_le_bytes());
    data.extend_from_slice(word);
    let mut deflate = DeflateEncoder::new(Vec::new(), Compression::best());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..zeros / chunk.len() {
        let _ = deflate.write_all(&chunk);
    }
    data.extend(deflate.finish().unwrap_or_default());
    data.extend_from_slice(&[0, 0, 0, 0]);
    data
}

/// zlib (best compression) of `data`.
pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// A PDF whose one object is an object stream of `compressed` (zlib) data, without a
/// cross-reference table: found by a lenient parser's scan and inflated.
pub fn pdf_with_object_stream(compressed: &[u8]) -> Vec<u8> {
    let mut pdf = format!(
        "%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        compressed.len()
    )
    .into_bytes();
    pdf.extend_from_slice(compressed);
    pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer\n<< /Size 2 /Root 1 0 R >>\n%%EOF\n");
    pdf
}

/// A PDF whose catalog's `/X` is object 2, `value`, compressed in an object stream and found
/// through a cross-reference stream: the structure a parser loads whole. It has no pages.
pub fn pdf_with_compressed_object(value: &[u8]) -> Vec<u8> {
    let compressed = zlib(&[b"2 0 ".as_slice(), value].concat());
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let stream_at = pdf.len();
    pdf.extend_from_slice(
        format!(
            "1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
            compressed.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&compressed);
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let catalog_at = pdf.len();
    pdf.extend_from_slice(b"4 0 obj\n<< /Type /Catalog /Pages 5 0 R /X 2 0 R >>\nendobj\n");
    let pages_at = pdf.len();
    pdf.extend_from_slice(b"5 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    let xref_at = pdf.len();
    // Rows of /W [1 4 2]: type, offset (or object stream), generation (or index).
    let mut rows = Vec::new();
    for (kind, field, generation) in [
        (0u8, 0usize, 65535u16),
        (1, stream_at, 0),
        (2, 1, 0),
        (1, xref_at, 0),
        (1, catalog_at, 0),
        (1, pages_at, 0),
    ] {
        rows.push(kind);
        rows.extend_from_slice(&(field as u32).to_be_bytes());
        rows.extend_from_slice(&generation.to_be_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "3 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 4 0 R /Length {} >>\nstream\n",
            rows.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&rows);
    pdf.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    pdf
}

/// A page-less PDF whose catalog holds `value` directly, with no cross-reference data.
pub fn pdf_with(value: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X {value} >>\nendobj\n\
         2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n\
         trailer\n<< /Size 3 /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}
