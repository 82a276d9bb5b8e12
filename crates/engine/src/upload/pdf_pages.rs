//! A PDF taken apart page by page for Document Verification: each page's largest scanned image
//! (a JPEG stream as stored; an 8-bit RGB or greyscale stream made a PNG) and the text of its
//! text layer. verifyd does not render PDFs: a scan keeps its image, a generated statement its
//! text layer, and a page drawn in vectors without text has neither (the caller refuses it).
//!
//! The upload was inspected in the sandbox first (it loads within the same inflation limit);
//! this runs on the blocking pool with a time limit, every stream inflated against the limit.

use image::{GrayImage, RgbImage};

use super::pdf_file::MAX_INFLATED_BYTES;
use super::InspectError;

/// What one page gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfPageContent {
    /// JPEG or PNG bytes.
    pub image: Option<PageImage>,
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageImage {
    Jpeg(Vec<u8>),
    Png(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfPagesError {
    #[error(transparent)]
    Inspect(#[from] InspectError),
    #[error("the PDF has {pages} pages; at most {max} are accepted")]
    TooManyPages { pages: usize, max: usize },
}

/// The pages of `bytes`, refusing more than `max_pages` before any page is read. Images wider
/// or higher than `max_dimension` are left out.
pub fn pdf_pages(
    bytes: &[u8],
    max_pages: usize,
    max_dimension: u32,
) -> Result<Vec<PdfPageContent>, PdfPagesError> {
    let info = super::inspect_pdf(bytes)?;
    if info.pages > max_pages {
        return Err(PdfPagesError::TooManyPages {
            pages: info.pages,
            max: max_pages,
        });
    }
    let options = lopdf::LoadOptions::with_max_decompressed_size(MAX_INFLATED_BYTES);
    let document = lopdf::Document::load_mem_with_options(bytes, options)
        .map_err(|error| InspectError::Corrupt(error.to_string()))?;
    Ok(document
        .get_pages()
        .into_iter()
        .map(|(number, id)| PdfPageContent {
            image: largest_image(&document, id, max_dimension),
            text: document
                .extract_text_with_limit(&[number], MAX_INFLATED_BYTES)
                .ok()
                .map(|text| text.trim().to_owned())
                .filter(|text| !text.is_empty()),
        })
        .collect())
}

fn largest_image(
    document: &lopdf::Document,
    page: lopdf::ObjectId,
    max_dimension: u32,
) -> Option<PageImage> {
    let mut images = document.get_page_images(page).ok()?;
    images.retain(|image| {
        (1..=i64::from(max_dimension)).contains(&image.width)
            && (1..=i64::from(max_dimension)).contains(&image.height)
    });
    images.sort_by_key(|image| std::cmp::Reverse(image.width * image.height));
    images.iter().find_map(|image| page_image(document, image))
}

fn page_image(
    document: &lopdf::Document,
    image: &lopdf::xobject::PdfImage<'_>,
) -> Option<PageImage> {
    let filters: Vec<&str> = image.filters.iter().flatten().map(String::as_str).collect();
    if filters == ["DCTDecode"] {
        return Some(PageImage::Jpeg(image.content.to_vec()));
    }
    if image.bits_per_component != Some(8) || !(filters.is_empty() || filters == ["FlateDecode"]) {
        return None;
    }
    let stream = document.get_object(image.id).ok()?.as_stream().ok()?;
    let pixels = if filters.is_empty() {
        stream.content.clone()
    } else {
        stream
            .decompressed_content_with_limit(MAX_INFLATED_BYTES)
            .ok()?
    };
    let width = u32::try_from(image.width).ok()?;
    let height = u32::try_from(image.height).ok()?;
    let mut png = std::io::Cursor::new(Vec::new());
    let written =
        match image.color_space.as_deref() {
            Some("DeviceRGB") => RgbImage::from_raw(width, height, pixels)?
                .write_to(&mut png, image::ImageFormat::Png),
            Some("DeviceGray") => GrayImage::from_raw(width, height, pixels)?
                .write_to(&mut png, image::ImageFormat::Png),
            _ => return None,
        };
    written.ok()?;
    Some(PageImage::Png(png.into_inner()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_that_is_not_one_is_refused() {
        assert!(matches!(
            pdf_pages(b"not a pdf", 30, 8000),
            Err(PdfPagesError::Inspect(InspectError::NotAPdf))
        ));
    }
}
