//! Documents other than IDs for the Document Verification tests: bills and statements printed
//! from their lines (the engine's OCR-B page), as JPEG images and as PDFs that embed them.

use anyhow::Result;
use image::RgbImage;
use lopdf::dictionary;
use verifyd_engine::documents::synthetic::printed_page;

use crate::images::encode_jpeg;

/// A page printed with `lines`, as a JPEG, and its size.
pub fn bill_jpeg(lines: &[&str]) -> Result<(Vec<u8>, u32, u32)> {
    let page: RgbImage = printed_page(lines)?;
    let (width, height) = page.dimensions();
    Ok((encode_jpeg(page), width, height))
}

/// A PDF whose pages are scans: each page shows one JPEG (`DCTDecode`) across an A4 media box,
/// and has no text layer, as a scanner makes them.
pub fn pdf_of_scans(pages: &[(Vec<u8>, u32, u32)]) -> Vec<u8> {
    pdf_of_pages(pages.len(), |doc, index| {
        let (jpeg, width, height) = &pages[index];
        let image = rgb_image(
            i64::from(*width),
            i64::from(*height),
            "DCTDecode",
            jpeg.clone(),
        );
        drawn(doc, image)
    })
}

/// A one-page PDF whose page is an 8-bit RGB image of `width` x `height`, its pixels the
/// FlateDecode stream `compressed` (which may inflate to anything: the hardening tests' bombs).
pub fn pdf_of_flate_image(width: i64, height: i64, compressed: Vec<u8>) -> Vec<u8> {
    pdf_of_pages(1, |doc, _| {
        drawn(
            doc,
            rgb_image(width, height, "FlateDecode", compressed.clone()),
        )
    })
}

fn rgb_image(width: i64, height: i64, filter: &str, bytes: Vec<u8>) -> lopdf::Stream {
    lopdf::Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => width,
            "Height" => height,
            "ColorSpace" => "DeviceRGB",
            "BitsPerComponent" => 8,
            "Filter" => filter,
        },
        bytes,
    )
}

/// A page's content and resources drawing `image` across the A4 media box.
fn drawn(doc: &mut lopdf::Document, image: lopdf::Stream) -> (Vec<u8>, lopdf::Dictionary) {
    let image_id = doc.add_object(image);
    (
        b"q 595 0 0 842 0 0 cm /Im0 Do Q".to_vec(),
        dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
    )
}

/// A PDF of `count` A4 pages, each with the content stream and resources `page` makes.
pub(crate) fn pdf_of_pages(
    count: usize,
    mut page: impl FnMut(&mut lopdf::Document, usize) -> (Vec<u8>, lopdf::Dictionary),
) -> Vec<u8> {
    use lopdf::{Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for index in 0..count {
        let (content, resources) = page(&mut doc, index);
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content_id,
            "Resources" => resources,
        });
        kids.push(Object::from(page_id));
    }
    let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => kids, "Count" => count}),
    );
    let catalog_id = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    let _ = doc.save_to(&mut out);
    out
}
