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

/// Where a JPEG ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JpegEnd {
    /// The length up to and including the end-of-image marker.
    Marked(usize),
    /// The length up to the last byte of image data, in a file that has no end-of-image marker
    /// but holds every block of every component (see `unmarked_end`).
    Unmarked(usize),
}

/// Where the JPEG in `bytes` ends: at its end-of-image marker, found by walking its segments
/// (lengths in headers) and its entropy-coded scans (where every 0xFF byte of data is followed
/// by 0x00 or a restart marker); or, when the file runs out inside its last scan's data, at the
/// end of that data if it is whole. `None` when the file was cut short.
pub fn jpeg_end(bytes: &[u8]) -> Option<JpegEnd> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut tables = Tables::default();
    let mut at = 2;
    // The scan whose entropy-coded data ended just before `at`: its header and its data.
    let mut last_scan: Option<(usize, usize)> = None;
    loop {
        let scan = last_scan.take();
        // Stray bytes between segments (some writers pad them) are not the end; whether the
        // file decodes is the decoder's to judge. A marker may follow any number of 0xFF fills.
        at += bytes.get(at..)?.iter().position(|&byte| byte == 0xFF)?;
        while bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at + 1) else {
            // Nothing but fill bytes after a scan's data: the file lost only its end marker.
            let (header, data) = scan?;
            return unmarked_end(bytes, header, data, &tables);
        };
        at += 2;
        match marker {
            0xD9 => return Some(JpegEnd::Marked(at)),
            // Markers without a length: TEM and the restart markers.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        if length < 2 {
            return None;
        }
        tables.read(marker, bytes.get(at + 2..at + length).unwrap_or_default());
        let header = at;
        at = at.checked_add(length)?;
        if marker == 0xDA {
            if at > bytes.len() {
                return None;
            }
            let data = at;
            match after_entropy_coded_data(bytes, data) {
                Some(data_end) => {
                    last_scan = Some((header, data));
                    at = data_end;
                }
                None => return unmarked_end(bytes, header, data, &tables),
            }
        }
    }
}

/// The offset of the first marker after a scan's entropy-coded data; `None` when the file ends
/// inside that data.
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

/// The end of a JPEG that has no end-of-image marker, whose last scan starts at `data` (its
/// header at `header`): the offset after the scan's last MCU, when every MCU is there.
///
/// Browsers show such a file whole, and it is common: a download or a copy that lost its last
/// two bytes. But a file cut in half looks the same up to where it stops, and the image crate's
/// decoder (zune-jpeg, lenient) cannot tell them apart: it decodes a baseline JPEG cut in half
/// without an error, painting the missing half grey (128), and a progressive one cut in half
/// as a blurred picture from the scans it has. Its strict mode reports a cut baseline file
/// ("exhausted data"), but also refuses every progressive file without the marker, and neither
/// mode says where the image data ends, so a trailer (a ZIP, an HTML page) placed where the
/// marker was would be stored with the picture. So the data of the last scan is walked here,
/// as a decoder does but without computing pixels: Huffman codes and their extra bits, MCU by
/// MCU, across restart markers, until the frame's MCU count. Whole data ends after the last
/// MCU; what follows is not the image and is not stored, exactly as after an end marker; a file
/// whose bits run out first is cut short. This needs Huffman-coded sequential scans (baseline
/// and extended: what cameras write). Progressive files are refused without their
/// marker: their last scan refines coefficients that earlier scans made non-zero, so walking
/// it means keeping the state of every coefficient of the picture.
fn unmarked_end(bytes: &[u8], header: usize, data: usize, tables: &Tables) -> Option<JpegEnd> {
    let frame = tables.frame.as_ref().filter(|frame| frame.sequential)?;
    // Every component of the frame must have had its scan (a non-interleaved file has one
    // scan per component): one missing is image data missing.
    let scan = Scan::read(bytes.get(header + 2..data)?)?;
    let scanned = |id: u8| tables.scanned.contains(&id);
    if !frame
        .components
        .iter()
        .all(|component| scanned(component.id))
    {
        return None;
    }
    let mut bits = BitReader::new(bytes, data);
    let mut components = Vec::with_capacity(scan.components.len());
    for &(id, dc, ac) in &scan.components {
        let component = frame.components.iter().find(|c| c.id == id)?;
        components.push((component, tables.huffman(0, dc)?, tables.huffman(1, ac)?));
    }
    let (max_h, max_v) = frame.components.iter().fold((1, 1), |(h, v), component| {
        (h.max(component.horizontal), v.max(component.vertical))
    });
    let (width, height) = (u64::from(frame.width), u64::from(frame.height));
    let mcus = if let [(component, _, _)] = components.as_slice() {
        // One component alone: its own blocks in raster order, one per MCU.
        let columns = (width * u64::from(component.horizontal)).div_ceil(u64::from(max_h));
        let rows = (height * u64::from(component.vertical)).div_ceil(u64::from(max_v));
        columns.div_ceil(8) * rows.div_ceil(8)
    } else {
        width.div_ceil(8 * u64::from(max_h)) * height.div_ceil(8 * u64::from(max_v))
    };
    let interleaved = components.len() > 1;
    for mcu in 0..mcus {
        if tables.restart_interval > 0 && mcu > 0 && mcu % u64::from(tables.restart_interval) == 0 {
            bits.restart()?;
        }
        for (component, dc, ac) in &components {
            let blocks = if interleaved {
                component.horizontal * component.vertical
            } else {
                1
            };
            for _ in 0..blocks {
                bits.skip_block(dc, ac)?;
            }
        }
    }
    Some(JpegEnd::Unmarked(bits.end()))
}

/// What the walk of a JPEG's headers keeps for reading its last scan.
#[derive(Default)]
struct Tables {
    frame: Option<Frame>,
    /// Huffman tables by class (0 DC, 1 AC) and destination.
    huffman: [[Option<Huffman>; 4]; 2],
    restart_interval: u16,
    /// The components named by the scans so far.
    scanned: Vec<u8>,
}

impl Tables {
    /// Reads what a segment defines. Damaged segments are skipped: the decoder judges them.
    fn read(&mut self, marker: u8, segment: &[u8]) {
        match marker {
            0xC4 => self.read_huffman(segment),
            0xDD => {
                if let [high, low, ..] = *segment {
                    self.restart_interval = u16::from_be_bytes([high, low]);
                }
            }
            0xDA => {
                if let Some(scan) = Scan::read(segment) {
                    self.scanned
                        .extend(scan.components.iter().map(|&(id, _, _)| id));
                }
            }
            // Start of frame, except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                self.frame = Frame::read(segment);
                if let Some(frame) = &mut self.frame {
                    // Huffman-coded DCT, baseline or extended; not progressive, lossless,
                    // hierarchical or arithmetic-coded.
                    frame.sequential = matches!(marker, 0xC0 | 0xC1);
                }
            }
            _ => {}
        }
    }

    fn read_huffman(&mut self, mut segment: &[u8]) {
        while let [class_and_id, ref rest @ ..] = *segment {
            let Some(counts) = rest.get(..16) else { return };
            let total: usize = counts.iter().map(|&count| usize::from(count)).sum();
            let Some(symbols) = rest.get(16..16 + total) else {
                return;
            };
            let (class, id) = (
                usize::from(class_and_id >> 4),
                usize::from(class_and_id & 15),
            );
            if let Some(slot) = self.huffman.get_mut(class).and_then(|c| c.get_mut(id)) {
                *slot = Some(Huffman::new(counts, symbols));
            }
            segment = &rest[16 + total..];
        }
    }

    fn huffman(&self, class: usize, id: u8) -> Option<&Huffman> {
        self.huffman.get(class)?.get(usize::from(id))?.as_ref()
    }
}

struct Frame {
    width: u16,
    height: u16,
    sequential: bool,
    components: Vec<Component>,
}

struct Component {
    id: u8,
    horizontal: u8,
    vertical: u8,
}

impl Frame {
    fn read(segment: &[u8]) -> Option<Frame> {
        let [_precision, h1, h0, w1, w0, count, ref rest @ ..] = *segment else {
            return None;
        };
        let components = rest
            .chunks_exact(3)
            .take(usize::from(count))
            .map(|component| Component {
                id: component[0],
                horizontal: (component[1] >> 4).clamp(1, 4),
                vertical: (component[1] & 15).clamp(1, 4),
            })
            .collect::<Vec<_>>();
        (!components.is_empty() && components.len() == usize::from(count)).then_some(Frame {
            width: u16::from_be_bytes([w1, w0]),
            height: u16::from_be_bytes([h1, h0]),
            sequential: false,
            components,
        })
    }
}

struct Scan {
    /// Component id, DC table, AC table.
    components: Vec<(u8, u8, u8)>,
}

impl Scan {
    fn read(segment: &[u8]) -> Option<Scan> {
        let (&count, rest) = segment.split_first()?;
        let components = rest
            .get(..2 * usize::from(count))?
            .chunks_exact(2)
            .map(|component| (component[0], component[1] >> 4, component[1] & 15))
            .collect::<Vec<_>>();
        (!components.is_empty()).then_some(Scan { components })
    }
}

/// A canonical Huffman code as JPEG defines it (ITU T.81, annex C).
struct Huffman {
    /// By code length: the first code, the number of codes, the index of its first symbol.
    lengths: [(u32, u32, usize); 16],
    symbols: Vec<u8>,
}

impl Huffman {
    fn new(counts: &[u8], symbols: &[u8]) -> Huffman {
        let mut lengths = [(0, 0, 0); 16];
        let (mut code, mut index) = (0u32, 0usize);
        for (length, &count) in lengths.iter_mut().zip(counts) {
            *length = (code, u32::from(count), index);
            code = (code + u32::from(count)) << 1;
            index += usize::from(count);
        }
        Huffman {
            lengths,
            symbols: symbols.to_vec(),
        }
    }
}

/// Reads the bits of entropy-coded data, unstuffing 0xFF 0x00.
struct BitReader<'a> {
    bytes: &'a [u8],
    /// The next byte to read.
    at: usize,
    /// The current byte and how many of its bits are left.
    byte: u8,
    left: u8,
}

impl<'a> BitReader<'a> {
    fn new(bytes: &'a [u8], at: usize) -> Self {
        BitReader {
            bytes,
            at,
            byte: 0,
            left: 0,
        }
    }

    fn bit(&mut self) -> Option<u32> {
        if self.left == 0 {
            let byte = *self.bytes.get(self.at)?;
            if byte == 0xFF {
                // A stuffed data byte; a marker here (the file has only restart markers left)
                // is no data. A 0xFF that ends the file is taken as data, as the decoder does.
                match self.bytes.get(self.at + 1) {
                    Some(0x00) => self.at += 1,
                    Some(_) => return None,
                    None => {}
                }
            }
            self.at += 1;
            self.byte = byte;
            self.left = 8;
        }
        self.left -= 1;
        Some(u32::from(self.byte >> self.left) & 1)
    }

    fn skip(&mut self, bits: u8) -> Option<()> {
        for _ in 0..bits {
            self.bit()?;
        }
        Some(())
    }

    fn symbol(&mut self, huffman: &Huffman) -> Option<u8> {
        let mut code = 0;
        for &(first, count, index) in &huffman.lengths {
            code = (code << 1) | self.bit()?;
            if code >= first && code - first < count {
                let offset = usize::try_from(code - first).ok()?;
                return huffman.symbols.get(index + offset).copied();
            }
        }
        None
    }

    /// Reads one 8x8 block's codes: the DC difference, then AC runs up to end-of-block.
    fn skip_block(&mut self, dc: &Huffman, ac: &Huffman) -> Option<()> {
        let size = self.symbol(dc)?;
        if size > 16 {
            return None;
        }
        self.skip(size)?;
        let mut coefficient = 1;
        while coefficient < 64 {
            let symbol = self.symbol(ac)?;
            let (run, size) = (symbol >> 4, symbol & 15);
            if size == 0 && run != 15 {
                break;
            }
            self.skip(size)?;
            coefficient += usize::from(run) + 1;
        }
        Some(())
    }

    /// Skips the rest of the byte and the restart marker that must follow it.
    fn restart(&mut self) -> Option<()> {
        self.left = 0;
        while self.bytes.get(self.at) == Some(&0xFF) && self.bytes.get(self.at + 1) == Some(&0xFF) {
            self.at += 1;
        }
        match self.bytes.get(self.at..self.at + 2)? {
            [0xFF, 0xD0..=0xD7] => {
                self.at += 2;
                Some(())
            }
            _ => None,
        }
    }

    /// The offset after the last byte read.
    fn end(&self) -> usize {
        self.at
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

    fn picture(width: u32, height: u32) -> image::RgbImage {
        image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
        })
    }

    fn encoded(format: image::ImageFormat) -> Vec<u8> {
        let image = picture(320, 200);
        let mut out = Cursor::new(Vec::new());
        let written = image::DynamicImage::ImageRgb8(image).write_to(&mut out, format);
        assert!(written.is_ok(), "{written:?}");
        out.into_inner()
    }

    #[test]
    fn a_whole_file_ends_where_it_ends() {
        let jpeg = encoded(image::ImageFormat::Jpeg);
        assert_eq!(jpeg_end(&jpeg), Some(JpegEnd::Marked(jpeg.len())));
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
            assert_eq!(jpeg_end(&polyglot), Some(JpegEnd::Marked(jpeg.len())));
            let png = encoded(image::ImageFormat::Png);
            let polyglot = [png.as_slice(), tail].concat();
            assert_eq!(png_end(&polyglot), Some(png.len()));
        }
    }

    #[test]
    fn a_file_cut_short_has_no_end() {
        let jpeg = encoded(image::ImageFormat::Jpeg);
        assert_eq!(jpeg_end(&jpeg[..jpeg.len() - 3]), None);
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
        assert_eq!(jpeg_end(&padded), Some(JpegEnd::Marked(padded.len())));
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
        assert_eq!(
            jpeg_end(&with_thumbnail),
            Some(JpegEnd::Marked(with_thumbnail.len()))
        );
    }

    /// A JPEG written by jpeg-encoder, whose options image's encoder does not have.
    fn written(
        width: u16,
        height: u16,
        color: jpeg_encoder::ColorType,
        setup: impl FnOnce(&mut jpeg_encoder::Encoder<&mut Vec<u8>>),
    ) -> Vec<u8> {
        let pixels = picture(u32::from(width), u32::from(height));
        let data: Vec<u8> = match color {
            jpeg_encoder::ColorType::Luma => pixels.pixels().map(|p| p.0[0]).collect(),
            jpeg_encoder::ColorType::Cmyk => pixels
                .pixels()
                .flat_map(|p| [p.0[0], p.0[1], p.0[2], 40])
                .collect(),
            _ => pixels.into_raw(),
        };
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
        setup(&mut encoder);
        let written = encoder.encode(&data, width, height, color);
        assert!(written.is_ok(), "{written:?}");
        out
    }

    /// Baseline JPEGs of every layout the walk must count MCUs for.
    fn sequential_jpegs() -> Vec<(&'static str, Vec<u8>)> {
        use jpeg_encoder::{ColorType, SamplingFactor};
        vec![
            ("image's encoder", encoded(image::ImageFormat::Jpeg)),
            ("4:2:0, odd size", written(333, 251, ColorType::Rgb, |_| {})),
            (
                "4:4:4",
                written(333, 251, ColorType::Rgb, |e| {
                    e.set_sampling_factor(SamplingFactor::F_1_1)
                }),
            ),
            (
                "4:2:2",
                written(333, 251, ColorType::Rgb, |e| {
                    e.set_sampling_factor(SamplingFactor::F_2_1)
                }),
            ),
            (
                "optimised tables",
                written(333, 251, ColorType::Rgb, |e| {
                    e.set_optimized_huffman_tables(true)
                }),
            ),
            (
                "restart markers",
                written(333, 251, ColorType::Rgb, |e| e.set_restart_interval(7)),
            ),
            ("greyscale", written(333, 251, ColorType::Luma, |_| {})),
            ("CMYK", written(333, 251, ColorType::Cmyk, |_| {})),
        ]
    }

    #[test]
    fn a_jpeg_that_lost_its_end_marker_ends_after_its_last_mcu() {
        for (name, jpeg) in sequential_jpegs() {
            assert!(jpeg.ends_with(&[0xFF, 0xD9]), "{name}");
            let restarts = jpeg
                .windows(2)
                .filter(|pair| pair[0] == 0xFF && (0xD0..=0xD7).contains(&pair[1]))
                .count();
            assert_eq!(restarts > 0, name == "restart markers", "{name}");
            let data = jpeg.len() - 2;
            let unmarked = &jpeg[..data];
            assert_eq!(jpeg_end(unmarked), Some(JpegEnd::Unmarked(data)), "{name}");
            // Fill bytes, or a page or an archive where the marker was, are not the image.
            let tails: [&[u8]; 3] = [
                b"\xFF\xFF",
                b"<html><script>alert(1)</script></html>",
                b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
            ];
            for tail in tails {
                let polyglot = [unmarked, tail].concat();
                assert_eq!(jpeg_end(&polyglot), Some(JpegEnd::Unmarked(data)), "{name}");
            }
        }
    }

    #[test]
    fn a_jpeg_that_lost_image_data_has_no_end_wherever_it_was_cut() {
        for (name, jpeg) in sequential_jpegs() {
            // Every cut in the last 100 bytes, and every 61st byte before them.
            let last_scan = jpeg.len().saturating_sub(100);
            let cuts = (2..last_scan).step_by(61).chain(last_scan..jpeg.len() - 2);
            for cut in cuts {
                assert_eq!(jpeg_end(&jpeg[..cut]), None, "{name} cut at {cut}");
            }
        }
    }

    #[test]
    fn a_progressive_jpeg_without_its_end_marker_has_no_end() {
        // Its last scan refines earlier ones: whether it is whole is not walked (see
        // `unmarked_end`).
        let jpeg = written(333, 251, jpeg_encoder::ColorType::Rgb, |e| {
            e.set_progressive(true)
        });
        assert_eq!(jpeg_end(&jpeg), Some(JpegEnd::Marked(jpeg.len())));
        assert_eq!(jpeg_end(&jpeg[..jpeg.len() - 2]), None);
    }
}
