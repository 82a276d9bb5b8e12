//! Document Verification's PDF pages (`verifyd_engine::upload::pdf_pages`): the inspection's
//! parse, then each page's images (a JPEG kept as stored, an 8-bit RGB or grey stream inflated
//! within the engine's limit and made a PNG) and its text layer (lopdf's text extraction, every
//! content stream inflated within the limit). In the server the PDF was inspected in the
//! sandbox first and this runs on the blocking pool with a time limit; here in-process, so that
//! a panic, more than 10 s or more than 2 GB of RSS on one input shows as a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verifyd_engine::upload::{pdf_pages, PageImage};

fuzz_target!(|data: &[u8]| {
    if let Ok(pages) = pdf_pages(data, 30, 8000) {
        assert!(
            (1..=30).contains(&pages.len()),
            "{} pages accepted",
            pages.len()
        );
        for page in pages {
            if let Some(PageImage::Png(png)) = page.image {
                assert!(png.starts_with(b"\x89PNG"), "a page image that is not a PNG");
            }
        }
    }
});
