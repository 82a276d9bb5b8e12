use std::io::Cursor;

use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader};

use super::file_end::{self, JpegEnd};
use super::InspectError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: ImageFormat,
    /// The dimensions as stored, before `orientation` is applied.
    pub width: u32,
    pub height: u32,
    /// The bytes up to the image's end (its end marker, or the end of its image data when a
    /// JPEG lost that marker): what is kept of the upload (see `file_end`).
    pub length: usize,
    /// The EXIF orientation, which `decode_image` has applied: a phone held upright stores
    /// its photo sideways and says so here (quarter turns swap width and height).
    pub orientation: Orientation,
}

/// The specification's limits: at most 8000x8000, longest side over 300 pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    pub max_dimension: u32,
    /// The longest side must be strictly greater than this.
    pub min_longest_side: u32,
}

impl Default for ImageLimits {
    fn default() -> Self {
        Self {
            max_dimension: 8000,
            min_longest_side: 300,
        }
    }
}

/// Checks that `bytes` are a whole JPEG or PNG within `limits`. The dimensions come from the
/// header first, so that an oversized image (a decompression bomb) is refused before decoding.
pub fn inspect_image(bytes: &[u8], limits: &ImageLimits) -> Result<ImageInfo, InspectError> {
    decode_image(bytes, limits).map(|(info, _)| info)
}

/// `inspect_image`, keeping the decoded image for analysis.
pub fn decode_image(
    bytes: &[u8],
    limits: &ImageLimits,
) -> Result<(ImageInfo, image::DynamicImage), InspectError> {
    if bytes.is_empty() {
        return Err(InspectError::Empty);
    }
    let (format, image_format) = match image::guess_format(bytes) {
        Ok(image::ImageFormat::Jpeg) => (ImageFormat::Jpeg, image::ImageFormat::Jpeg),
        Ok(image::ImageFormat::Png) => (ImageFormat::Png, image::ImageFormat::Png),
        _ => return Err(InspectError::NotAnImage),
    };
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_dimensions()
        .map_err(|error| InspectError::Corrupt(error.to_string()))?;
    if width > limits.max_dimension || height > limits.max_dimension {
        return Err(InspectError::TooLarge {
            width,
            height,
            max: limits.max_dimension,
        });
    }
    if width.max(height) <= limits.min_longest_side {
        return Err(InspectError::TooSmall {
            width,
            height,
            min: limits.min_longest_side,
        });
    }
    let (length, repaired) = match format {
        ImageFormat::Jpeg => match file_end::jpeg_end(bytes) {
            Some(JpegEnd::Marked(length)) => (length, None),
            // Decoded with its end marker put back, as the decoder would find it in a whole
            // file; what is stored is the upload as it was, up to its image data.
            Some(JpegEnd::Unmarked(length)) => {
                (length, Some([&bytes[..length], &[0xFF, 0xD9][..]].concat()))
            }
            None => {
                return Err(InspectError::Corrupt(
                    "the JPEG ends before its image data does".to_owned(),
                ))
            }
        },
        ImageFormat::Png => (
            file_end::png_end(bytes).ok_or_else(|| {
                InspectError::Corrupt("the PNG ends before its IEND chunk".to_owned())
            })?,
            None,
        ),
    };
    let bytes = repaired.as_deref().unwrap_or(&bytes[..length]);
    let corrupt = |error: image::ImageError| InspectError::Corrupt(error.to_string());
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_dimension);
    decoder_limits.max_image_height = Some(limits.max_dimension);
    decoder_limits.max_alloc = Some(max_alloc(width, height));
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(decoder_limits.clone());
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    // As `ImageReader::decode` does: the decoded buffer counts against the allocation limit.
    decoder_limits
        .reserve(decoder.total_bytes())
        .map_err(corrupt)?;
    decoder.set_limits(decoder_limits).map_err(corrupt)?;
    // An unreadable EXIF block leaves the picture as stored, as browsers do.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut decoded = image::DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    decoded.apply_orientation(orientation);
    Ok((
        ImageInfo {
            format,
            width,
            height,
            length,
            orientation,
        },
        decoded,
    ))
}

/// The decoder's allocation limit for an image of `width` x `height`: room for the largest
/// pixel the decoders produce (16-bit RGBA, 8 bytes: a 16-bit PNG with alpha) and a
/// mebibyte for their own buffers.
fn max_alloc(width: u32, height: u32) -> u64 {
    u64::from(width) * u64::from(height) * 8 + (1 << 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
        });
        let mut out = Cursor::new(Vec::new());
        let written = image::DynamicImage::ImageRgb8(image).write_to(&mut out, format);
        assert!(written.is_ok(), "{written:?}");
        out.into_inner()
    }

    #[test]
    fn accepts_whole_images_and_reports_their_size() {
        let limits = ImageLimits::default();
        let jpeg = encoded(640, 480, image::ImageFormat::Jpeg);
        assert_eq!(
            inspect_image(&jpeg, &limits),
            Ok(ImageInfo {
                format: ImageFormat::Jpeg,
                width: 640,
                height: 480,
                length: jpeg.len(),
                orientation: Orientation::NoTransforms,
            })
        );
        let png = encoded(301, 20, image::ImageFormat::Png);
        assert_eq!(
            inspect_image(&png, &limits).map(|i| i.format),
            Ok(ImageFormat::Png)
        );
    }

    #[test]
    fn refuses_truncated_small_and_fake_images() {
        let limits = ImageLimits::default();
        for format in [image::ImageFormat::Jpeg, image::ImageFormat::Png] {
            let whole = encoded(640, 480, format);
            let cut = &whole[..whole.len() / 2];
            assert!(
                matches!(inspect_image(cut, &limits), Err(InspectError::Corrupt(_))),
                "{format:?}"
            );
        }
        let small = encoded(300, 300, image::ImageFormat::Png);
        assert!(matches!(
            inspect_image(&small, &limits),
            Err(InspectError::TooSmall { .. })
        ));
        assert_eq!(
            inspect_image(b"GIF89a....", &limits),
            Err(InspectError::NotAnImage)
        );
        assert_eq!(inspect_image(b"", &limits), Err(InspectError::Empty));
    }

    #[test]
    fn refuses_a_decompression_bomb_from_its_header() {
        // A PNG header claiming 60000x60000 pixels, with almost no data behind it.
        let mut bomb = encoded(400, 400, image::ImageFormat::Png);
        bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
        let result = inspect_image(&bomb, &ImageLimits::default());
        assert!(
            matches!(
                result,
                Err(InspectError::TooLarge { .. } | InspectError::Corrupt(_))
            ),
            "{result:?}"
        );
    }

    fn photo(width: u32, height: u32) -> image::RgbImage {
        image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y / 7) % 239) as u8])
        })
    }

    fn jpeg_with(
        image: &image::RgbImage,
        setup: impl FnOnce(&mut jpeg_encoder::Encoder<&mut Vec<u8>>),
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
        setup(&mut encoder);
        let size = |side: u32| u16::try_from(side).unwrap_or(u16::MAX);
        let written = encoder.encode(
            image.as_raw(),
            size(image.width()),
            size(image.height()),
            jpeg_encoder::ColorType::Rgb,
        );
        assert!(written.is_ok(), "{written:?}");
        out
    }

    fn decoded(bytes: &[u8]) -> Result<(ImageInfo, image::RgbImage), String> {
        decode_image(bytes, &ImageLimits::default())
            .map(|(info, image)| (info, image.to_rgb8()))
            .map_err(|error| error.to_string())
    }

    #[test]
    fn accepts_a_jpeg_that_lost_only_its_end_marker() -> Result<(), String> {
        let whole = encoded(640, 480, image::ImageFormat::Jpeg);
        let unmarked = &whole[..whole.len() - 2];
        let (info, picture) = &decoded(unmarked)?;
        assert_eq!(info.length, unmarked.len());
        assert_eq!(
            Ok(picture),
            decoded(&whole).map(|(_, picture)| picture).as_ref()
        );
        // A page put where the marker was is not stored with the picture.
        let polyglot = [unmarked, b"<html><script>alert(1)</script></html>"].concat();
        assert_eq!(
            inspect_image(&polyglot, &ImageLimits::default()).map(|info| info.length),
            Ok(unmarked.len())
        );
        Ok(())
    }

    #[test]
    fn refuses_jpegs_cut_short_that_the_decoder_would_paint_grey() {
        // The experiment behind `file_end::unmarked_end`: image's decoder (zune-jpeg, lenient)
        // decodes a baseline JPEG cut in half without an error, the lost half grey, and a
        // progressive one from the scans it has. Both are refused as damaged.
        let baseline = encoded(640, 480, image::ImageFormat::Jpeg);
        let progressive = jpeg_with(&photo(640, 480), |e| e.set_progressive(true));
        for (name, whole) in [("baseline", baseline), ("progressive", progressive)] {
            for cut in [whole.len() / 2, whole.len() - 3] {
                let lenient =
                    image::load_from_memory_with_format(&whole[..cut], image::ImageFormat::Jpeg);
                assert!(lenient.is_ok(), "{name} cut at {cut}: {lenient:?}");
                let result = inspect_image(&whole[..cut], &ImageLimits::default());
                assert!(
                    matches!(result, Err(InspectError::Corrupt(_))),
                    "{name} cut at {cut}: {result:?}"
                );
            }
        }
        let half = &encoded(640, 480, image::ImageFormat::Jpeg);
        let grey = image::load_from_memory(&half[..half.len() / 2]).map(|image| image.to_rgb8());
        assert!(
            matches!(&grey, Ok(grey) if grey.get_pixel(320, 470).0 == [128, 128, 128]),
            "the decoder no longer paints a cut JPEG grey"
        );
    }

    #[test]
    fn accepts_progressive_greyscale_and_cmyk_jpegs() -> Result<(), String> {
        let picture = photo(640, 480);
        let progressive = jpeg_with(&picture, |e| e.set_progressive(true));
        let (info, image) = &decoded(&progressive)?;
        assert_eq!(
            (info.width, info.height, info.length),
            (640, 480, progressive.len())
        );
        // Lossy, but the same picture: red and green are smooth ramps (blue is noise).
        let (x, y) = (400, 300);
        let (got, sent) = (image.get_pixel(x, y).0, picture.get_pixel(x, y).0);
        assert!(
            got[0].abs_diff(sent[0]) < 12 && got[1].abs_diff(sent[1]) < 12,
            "{got:?} for {sent:?}"
        );

        let grey = image::DynamicImage::ImageRgb8(picture.clone()).to_luma8();
        let mut out = Cursor::new(Vec::new());
        let written =
            image::DynamicImage::ImageLuma8(grey).write_to(&mut out, image::ImageFormat::Jpeg);
        assert!(written.is_ok(), "{written:?}");
        assert!(decoded(out.get_ref()).is_ok());

        // An Adobe CMYK JPEG (APP14): white paper (no ink) and full black ink.
        let cmyk: Vec<u8> = (0..640 * 480)
            .flat_map(|i| {
                if i % 640 < 320 {
                    [0, 0, 0, 0]
                } else {
                    [0, 0, 0, 255]
                }
            })
            .collect();
        let mut out = Vec::new();
        let written = jpeg_encoder::Encoder::new(&mut out, 90).encode(
            &cmyk,
            640,
            480,
            jpeg_encoder::ColorType::Cmyk,
        );
        assert!(written.is_ok(), "{written:?}");
        assert!(out.windows(5).any(|window| window == b"Adobe"));
        let (_, image) = &decoded(&out)?;
        assert_eq!(image.get_pixel(100, 240).0, [255, 255, 255]);
        assert_eq!(image.get_pixel(500, 240).0, [0, 0, 0]);
        Ok(())
    }

    fn png_of(image: image::DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let written = image.write_to(&mut out, image::ImageFormat::Png);
        assert!(written.is_ok(), "{written:?}");
        out.into_inner()
    }

    #[test]
    fn accepts_greyscale_palette_alpha_and_16_bit_pngs() -> Result<(), String> {
        let picture = image::DynamicImage::ImageRgb8(photo(640, 480));
        let mut pngs = vec![
            ("grey", png_of(picture.to_luma8().into())),
            ("grey 16-bit", png_of(picture.to_luma16().into())),
            ("grey and alpha", png_of(picture.to_luma_alpha8().into())),
            ("alpha", png_of(picture.to_rgba8().into())),
            ("16-bit", png_of(picture.to_rgb16().into())),
            ("16-bit alpha", png_of(picture.to_rgba16().into())),
        ];
        let mut palette = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut palette, 640, 480);
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(
                (0..=255u8)
                    .flat_map(|i| [i, 255 - i, 128])
                    .collect::<Vec<_>>(),
            );
            let indices: Vec<u8> = (0..640 * 480).map(|i| (i % 640 / 3) as u8).collect();
            let written = encoder
                .write_header()
                .and_then(|mut writer| writer.write_image_data(&indices));
            assert!(written.is_ok(), "{written:?}");
        }
        pngs.push(("palette", palette));
        for (name, png) in pngs {
            let (info, image) = &decoded(&png)?;
            assert_eq!(
                (info.width, info.height, info.length),
                (640, 480, png.len()),
                "{name}"
            );
            if name == "palette" {
                assert_eq!(image.get_pixel(300, 10).0, [100, 155, 128]);
            } else {
                let (got, sent) = (
                    image.get_pixel(200, 100).0,
                    photo(640, 480).get_pixel(200, 100).0,
                );
                assert!(
                    got[0].abs_diff(sent[0]) < 8 || name.starts_with("grey"),
                    "{name}"
                );
            }
        }
        Ok(())
    }

    #[test]
    fn the_allocation_limit_admits_16_bit_rgba_at_the_largest_size() {
        let max = ImageLimits::default().max_dimension;
        let pixels = u64::from(max) * u64::from(max);
        let rgba16 = u64::from(image::ColorType::Rgba16.bytes_per_pixel());
        assert!(max_alloc(max, max) >= pixels * rgba16);
    }

    /// A TIFF structure as EXIF carries it, with one entry: the orientation.
    fn exif(orientation: u16, big_endian: bool) -> Vec<u8> {
        let mut tiff = Vec::new();
        let mut put = |value: u32, size: usize| {
            let bytes = if big_endian {
                value.to_be_bytes()[4 - size..].to_vec()
            } else {
                value.to_le_bytes()[..size].to_vec()
            };
            tiff.extend(bytes);
        };
        put(if big_endian { 0x4D4D } else { 0x4949 }, 2); // "MM" or "II",
        put(42, 2);
        put(8, 4); // the first directory follows the header.
        put(1, 2); // One entry:
        put(0x0112, 2); // Orientation,
        put(3, 2); // SHORT,
        put(1, 4); // one value,
        put(u32::from(orientation), 2);
        put(0, 2);
        put(0, 4); // no further directory.
        tiff
    }

    /// 400x300 as stored, grey with a red block at the stored top-left corner and a green
    /// one at the stored top-right corner.
    fn sideways() -> image::RgbImage {
        image::RgbImage::from_fn(400, 300, |x, y| match (x, y) {
            (0..60, 0..60) => image::Rgb([230, 20, 20]),
            (340.., 0..60) => image::Rgb([20, 230, 20]),
            _ => image::Rgb([120, 120, 120]),
        })
    }

    /// Which corner of `image` (top-left, top-right, bottom-right, bottom-left) is red and
    /// which is green.
    fn marked_corners(image: &image::RgbImage) -> (usize, usize) {
        let (w, h) = image.dimensions();
        let corners = [(20, 20), (w - 21, 20), (w - 21, h - 21), (20, h - 21)];
        let find = |wanted: fn([u8; 3]) -> bool| {
            corners
                .iter()
                .position(|&(x, y)| wanted(image.get_pixel(x, y).0))
                .unwrap_or(usize::MAX)
        };
        (
            find(|[r, g, _]| r > 180 && g < 80),
            find(|[r, g, _]| g > 180 && r < 80),
        )
    }

    #[test]
    fn photos_reach_analysis_upright_whatever_their_exif_orientation() -> Result<(), String> {
        const TOP_LEFT: usize = 0;
        const TOP_RIGHT: usize = 1;
        const BOTTOM_RIGHT: usize = 2;
        const BOTTOM_LEFT: usize = 3;
        // EXIF orientation: where the stored top-left (red) and top-right (green) corners are
        // shown, and whether the picture is shown turned a quarter.
        let cases = [
            (1, TOP_LEFT, TOP_RIGHT, false),
            (2, TOP_RIGHT, TOP_LEFT, false),
            (3, BOTTOM_RIGHT, BOTTOM_LEFT, false),
            (4, BOTTOM_LEFT, BOTTOM_RIGHT, false),
            (5, TOP_LEFT, BOTTOM_LEFT, true),
            (6, TOP_RIGHT, BOTTOM_RIGHT, true),
            (7, BOTTOM_RIGHT, TOP_RIGHT, true),
            (8, BOTTOM_LEFT, TOP_LEFT, true),
        ];
        for (orientation, red, green, turned) in cases {
            for big_endian in [false, true] {
                let jpeg = jpeg_with(&sideways(), |e| {
                    let added = e.add_exif_metadata(&exif(orientation, big_endian));
                    assert!(added.is_ok(), "{added:?}");
                });
                let (info, image) =
                    &decoded(&jpeg).map_err(|error| format!("{orientation}: {error}"))?;
                assert_eq!((info.width, info.height), (400, 300), "stored dimensions");
                assert_eq!(info.orientation.to_exif(), orientation as u8);
                let upright = if turned { (300, 400) } else { (400, 300) };
                assert_eq!(image.dimensions(), upright, "{orientation}");
                assert_eq!(marked_corners(image), (red, green), "{orientation}");
            }
        }
        Ok(())
    }

    #[test]
    fn a_png_is_turned_upright_by_its_exif_chunk() -> Result<(), String> {
        use image::ImageEncoder;
        let mut png = Vec::new();
        let mut encoder = image::codecs::png::PngEncoder::new(&mut png);
        assert!(encoder.set_exif_metadata(exif(6, false)).is_ok());
        let picture = sideways();
        let written =
            encoder.write_image(picture.as_raw(), 400, 300, image::ExtendedColorType::Rgb8);
        assert!(written.is_ok(), "{written:?}");
        let (info, image) = &decoded(&png)?;
        assert_eq!(info.orientation, Orientation::Rotate90);
        assert_eq!(image.dimensions(), (300, 400));
        assert_eq!(marked_corners(image), (1, 2));
        Ok(())
    }
}
