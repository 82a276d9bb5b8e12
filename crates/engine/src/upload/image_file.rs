use std::io::Cursor;

use image::ImageReader;

use super::{file_end, InspectError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// The bytes up to the image's end marker: what is kept of the upload (see `file_end`).
    pub length: usize,
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
    let length = match format {
        ImageFormat::Jpeg => file_end::jpeg_end(bytes).ok_or_else(|| {
            InspectError::Corrupt("the JPEG ends before its image data does".to_owned())
        })?,
        ImageFormat::Png => file_end::png_end(bytes).ok_or_else(|| {
            InspectError::Corrupt("the PNG ends before its IEND chunk".to_owned())
        })?,
    };
    let bytes = &bytes[..length];
    let mut decoder_limits = image::Limits::default();
    decoder_limits.max_image_width = Some(limits.max_dimension);
    decoder_limits.max_image_height = Some(limits.max_dimension);
    decoder_limits.max_alloc = Some(u64::from(width) * u64::from(height) * 8 + (1 << 20));
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(decoder_limits);
    let decoded = reader
        .decode()
        .map_err(|error| InspectError::Corrupt(error.to_string()))?;
    Ok((
        ImageInfo {
            format,
            width,
            height,
            length,
        },
        decoded,
    ))
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
}
