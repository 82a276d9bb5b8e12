//! Traces of image editing in a file's metadata: an identity document photographed by a phone
//! has no business passing through Photoshop. The EXIF `Software` tag, XMP's `CreatorTool` and
//! PNG text chunks name the program that last wrote the file.

/// Programs that edit images, as they name themselves in metadata (compared in lower case).
const EDITORS: [&str; 10] = [
    "photoshop",
    "gimp",
    "pixelmator",
    "affinity photo",
    "paint.net",
    "lightroom",
    "corel",
    "paintshop",
    "krita",
    "photopea",
];

/// How much of the file's head is searched: metadata precedes the image data in JPEG and PNG.
const HEAD: usize = 256 * 1024;

/// The editing program the file's metadata names, if any.
pub fn editing_software(file: &[u8]) -> Option<String> {
    let head = &file[..file.len().min(HEAD)];
    let metadata = metadata_bytes(head);
    let lower: Vec<u8> = metadata.iter().map(u8::to_ascii_lowercase).collect();
    EDITORS.iter().find_map(|editor| {
        lower
            .windows(editor.len())
            .any(|window| window == editor.as_bytes())
            .then(|| (*editor).to_owned())
    })
}

/// The metadata segments of a JPEG (APP1..APP15, COM) or the text chunks of a PNG; never the
/// compressed image data, where any byte sequence can occur by chance.
fn metadata_bytes(head: &[u8]) -> Vec<u8> {
    let mut found = Vec::new();
    if head.starts_with(&[0xFF, 0xD8]) {
        let mut at = 2;
        while at + 4 <= head.len() && head[at] == 0xFF {
            let marker = head[at + 1];
            let length = usize::from(u16::from_be_bytes([head[at + 2], head[at + 3]]));
            let end = (at + 2 + length).min(head.len());
            if (0xE1..=0xEF).contains(&marker) || marker == 0xFE {
                found.extend_from_slice(&head[(at + 4).min(end)..end]);
            }
            // Start of scan: entropy-coded data follows.
            if marker == 0xDA || length < 2 {
                break;
            }
            at = end;
        }
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        let mut at = 8;
        while at + 8 <= head.len() {
            let length =
                u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]) as usize;
            let kind = &head[at + 4..at + 8];
            let end = (at + 8).saturating_add(length).min(head.len());
            if matches!(kind, b"tEXt" | b"iTXt" | b"zTXt" | b"eXIf") {
                found.extend_from_slice(&head[at + 8..end]);
            }
            if kind == b"IDAT" || kind == b"IEND" {
                break;
            }
            at = end.saturating_add(4);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_comment(comment: &[u8]) -> Vec<u8> {
        let mut file = vec![0xFF, 0xD8, 0xFF, 0xFE];
        let length = u16::try_from(comment.len() + 2).unwrap_or(u16::MAX);
        file.extend_from_slice(&length.to_be_bytes());
        file.extend_from_slice(comment);
        file.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02]);
        // Image data that happens to spell an editor's name must not count.
        file.extend_from_slice(b"gimp photoshop");
        file
    }

    fn png_with_text(text: &[u8]) -> Vec<u8> {
        let mut file = b"\x89PNG\r\n\x1a\n".to_vec();
        let length = u32::try_from(text.len()).unwrap_or(0);
        file.extend_from_slice(&length.to_be_bytes());
        file.extend_from_slice(b"tEXt");
        file.extend_from_slice(text);
        file.extend_from_slice(&[0, 0, 0, 0]);
        file.extend_from_slice(&[0, 0, 0, 0]);
        file.extend_from_slice(b"IDAT");
        file
    }

    #[test]
    fn editors_named_in_metadata_are_found_and_image_data_is_ignored() {
        assert_eq!(
            editing_software(&jpeg_with_comment(b"Adobe Photoshop 25.0 (Windows)")),
            Some("photoshop".to_owned())
        );
        assert_eq!(
            editing_software(&jpeg_with_comment(b"Google Pixel 8")),
            None
        );
        assert_eq!(
            editing_software(&png_with_text(b"Software\0GIMP 2.10.36")),
            Some("gimp".to_owned())
        );
        assert_eq!(editing_software(&png_with_text(b"Software\0Camera")), None);
        assert_eq!(editing_software(b"not an image"), None);
        assert_eq!(editing_software(&[0xFF, 0xD8, 0xFF]), None);
    }
}
