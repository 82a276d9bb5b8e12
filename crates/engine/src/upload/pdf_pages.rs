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
    use lopdf::{dictionary, Document, Object, Stream};

    use super::*;

    /// A page: a scan (an image XObject drawn across it) or text with its resources.
    enum Page {
        Scan(Stream),
        Text(Vec<u8>, lopdf::Dictionary),
    }

    fn pdf(pages: Vec<Page>) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for page in pages {
            let (content, resources) = match page {
                Page::Scan(image) => {
                    let image_id = doc.add_object(image);
                    (
                        b"q 595 0 0 842 0 0 cm /Im0 Do Q".to_vec(),
                        dictionary! {"XObject" => dictionary! {"Im0" => image_id}},
                    )
                }
                Page::Text(content, resources) => (content, resources),
            };
            let content_id = doc.add_object(Stream::new(dictionary! {}, content));
            let resources_id = doc.add_object(resources);
            kids.push(Object::from(doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Contents" => content_id,
                "Resources" => resources_id,
            })));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => count}),
        );
        let catalog = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        assert!(doc.save_to(&mut out).is_ok());
        out
    }

    fn image(width: i64, height: i64, filter: Option<&str>, bytes: Vec<u8>) -> Stream {
        let mut dict = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => width,
            "Height" => height,
            "ColorSpace" => "DeviceRGB",
            "BitsPerComponent" => 8,
        };
        if let Some(filter) = filter {
            dict.set("Filter", filter);
        }
        Stream::new(dict, bytes).with_compression(false)
    }

    #[test]
    fn scans_keep_their_image_and_text_layers_their_text() {
        let jpeg = b"\xFF\xD8 a JPEG as stored".to_vec();
        let text_font =
            dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica"};
        let text_page = Page::Text(
            b"BT /F1 12 Tf 72 700 Td (ACCOUNT HOLDER: JANE DOE) Tj ET".to_vec(),
            dictionary! {"Font" => dictionary! {"F1" => text_font}},
        );
        let bytes = pdf(vec![
            Page::Scan(image(2, 1, Some("DCTDecode"), jpeg.clone())),
            Page::Scan(image(2, 1, None, vec![255, 0, 0, 0, 0, 255])),
            text_page,
        ]);
        let pages = pdf_pages(&bytes, 30, 8000).unwrap_or_default();
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].image, Some(PageImage::Jpeg(jpeg)));
        let png = match &pages[1].image {
            Some(PageImage::Png(png)) => png.clone(),
            other => format!("not a PNG: {other:?}").into_bytes(),
        };
        let decoded = image::load_from_memory(&png).map(|image| image.to_rgb8());
        assert_eq!(
            decoded.map(|image| image.into_raw()).ok(),
            Some(vec![255, 0, 0, 0, 0, 255])
        );
        assert_eq!(pages[2].image, None);
        assert!(
            pages[2]
                .text
                .as_deref()
                .is_some_and(|text| text.contains("ACCOUNT HOLDER: JANE DOE")),
            "{:?}",
            pages[2].text
        );
    }

    #[test]
    fn more_pages_than_allowed_are_refused_before_any_is_read() {
        let page = || Page::Text(b"BT ET".to_vec(), lopdf::Dictionary::new());
        let bytes = pdf(vec![page(), page(), page()]);
        assert_eq!(
            pdf_pages(&bytes, 2, 8000),
            Err(PdfPagesError::TooManyPages { pages: 3, max: 2 })
        );
    }

    #[test]
    fn images_beyond_the_limit_are_left_out() {
        let bytes = pdf(vec![Page::Scan(image(
            9000,
            1,
            Some("DCTDecode"),
            vec![0xFF, 0xD8],
        ))]);
        assert_eq!(
            pdf_pages(&bytes, 30, 8000).map(|pages| pages[0].image.clone()),
            Ok(None)
        );
    }

    #[test]
    fn a_pdf_that_is_not_one_is_refused() {
        assert!(matches!(
            pdf_pages(b"not a pdf", 30, 8000),
            Err(PdfPagesError::Inspect(InspectError::NotAPdf))
        ));
    }
}
