//! Where an image file ends by its own structure.
//!
//! Readers stop at a JPEG's end-of-image marker and a PNG's IEND chunk; anything after it is
//! invisible in the picture but survives byte-for-byte storage. That is how polyglots are made:
//! a ZIP's directory sits at the end of its file, and an HTML page after the image is found by a
//! browser that sniffs. Cutting the upload at the end its own structure declares keeps every
//! byte a decoder or a forensic check reads (metadata, quantisation tables, every scan) and
//! drops only what no image reader sees. Re-encoding would drop the polyglot too, but also the
//! metadata and the compression traces that the forensic checks (editing software, screens,
//! copies) measure.

/// The length of the JPEG in `bytes`: up to and including its end-of-image marker, found by
/// walking its segments (lengths in headers) and its entropy-coded scans (where every 0xFF
/// byte of data is followed by 0x00 or a restart marker). `None` when no end-of-image follows
/// the frame: the file was cut short.
pub fn jpeg_end(bytes: &[u8]) -> Option<usize> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    loop {
        // Stray bytes between segments (some writers pad them) are not the end; whether the
        // file decodes is the decoder's to judge. A marker may follow any number of 0xFF fills.
        at += bytes.get(at..)?.iter().position(|&byte| byte == 0xFF)?;
        while bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let marker = *bytes.get(at + 1)?;
        at += 2;
        match marker {
            0xD9 => return Some(at),
            // Markers without a length: TEM and the restart markers.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        if length < 2 {
            return None;
        }
        at = at.checked_add(length)?;
        if marker == 0xDA {
            at = after_entropy_coded_data(bytes, at)?;
        }
    }
}

/// The offset of the first marker after a scan's entropy-coded data.
fn after_entropy_coded_data(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let found = at + bytes.get(at..)?.iter().position(|&byte| byte == 0xFF)?;
        match *bytes.get(found + 1)? {
            0x00 | 0xD0..=0xD7 => at = found + 2,
            _ => return Some(found),
        }
    }
}

/// The length of the PNG in `bytes`: up to and including its IEND chunk, found by walking the
/// chunks by their lengths. `None` when the file ends before IEND.
pub fn png_end(bytes: &[u8]) -> Option<usize> {
    const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    if !bytes.starts_with(&SIGNATURE) {
        return None;
    }
    let mut at = SIGNATURE.len();
    loop {
        let header = bytes.get(at..at + 8)?;
        let length = usize::try_from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]))
        .ok()?;
        // Length, type, data, CRC.
        let end = at.checked_add(12)?.checked_add(length)?;
        if end > bytes.len() {
            return None;
        }
        if &header[4..8] == b"IEND" {
            return Some(end);
        }
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn encoded(format: image::ImageFormat) -> Vec<u8> {
        let image = image::RgbImage::from_fn(320, 200, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
        });
        let mut out = Cursor::new(Vec::new());
        let written = image::DynamicImage::ImageRgb8(image).write_to(&mut out, format);
        assert!(written.is_ok(), "{written:?}");
        out.into_inner()
    }

    #[test]
    fn a_whole_file_ends_where_it_ends() {
        let jpeg = encoded(image::ImageFormat::Jpeg);
        assert_eq!(jpeg_end(&jpeg), Some(jpeg.len()));
        let png = encoded(image::ImageFormat::Png);
        assert_eq!(png_end(&png), Some(png.len()));
    }

    #[test]
    fn what_follows_the_end_marker_is_not_part_of_the_file() {
        // A ZIP's end-of-directory record and an HTML page appended to each format.
        let zip_end = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        for tail in [&zip_end[..], b"<html><script>alert(1)</script>"] {
            let jpeg = encoded(image::ImageFormat::Jpeg);
            let polyglot = [jpeg.as_slice(), tail].concat();
            assert_eq!(jpeg_end(&polyglot), Some(jpeg.len()));
            let png = encoded(image::ImageFormat::Png);
            let polyglot = [png.as_slice(), tail].concat();
            assert_eq!(png_end(&polyglot), Some(png.len()));
        }
    }

    #[test]
    fn a_file_cut_short_has_no_end() {
        let jpeg = encoded(image::ImageFormat::Jpeg);
        assert_eq!(jpeg_end(&jpeg[..jpeg.len() - 2]), None);
        assert_eq!(jpeg_end(&jpeg[..jpeg.len() / 2]), None);
        let png = encoded(image::ImageFormat::Png);
        assert_eq!(png_end(&png[..png.len() - 1]), None);
        assert_eq!(jpeg_end(b""), None);
        assert_eq!(png_end(b"\x89PNG\r\n\x1a\n\xff\xff\xff\xffIEND"), None);
    }

    #[test]
    fn stray_bytes_between_segments_do_not_hide_the_end() {
        // Whether such a file decodes is the decoder's to judge; its end is still its EOI.
        let jpeg = encoded(image::ImageFormat::Jpeg);
        let padded = [&jpeg[..2], &[0x00, 0x00, 0xFF, 0xFF][..], &jpeg[2..]].concat();
        assert_eq!(jpeg_end(&padded), Some(padded.len()));
    }

    #[test]
    fn an_end_marker_inside_a_segment_is_not_the_end() {
        // An EXIF thumbnail is a whole JPEG, end marker included, inside an APP1 segment.
        let jpeg = encoded(image::ImageFormat::Jpeg);
        let thumbnail = encoded(image::ImageFormat::Jpeg);
        assert!(thumbnail.len() < 65_000, "{}", thumbnail.len());
        let mut app1 = vec![0xFF, 0xE1];
        let length = u16::try_from(thumbnail.len() + 2).unwrap_or(u16::MAX);
        app1.extend_from_slice(&length.to_be_bytes());
        app1.extend_from_slice(&thumbnail);
        let with_thumbnail = [&jpeg[..2], app1.as_slice(), &jpeg[2..]].concat();
        assert_eq!(jpeg_end(&with_thumbnail), Some(with_thumbnail.len()));
    }
}
