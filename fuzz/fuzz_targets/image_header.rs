//! Inspection of uploaded photos (`verifyd_engine::upload::inspect_image` with the default
//! limits): format by magic bytes, dimensions from the header checked before decoding, where
//! the file ends by its own structure (JPEG end-of-image, PNG IEND: what is stored), then the
//! decode with the image crate's allocation limits. Run with `-rss_limit_mb=2048` so that a
//! decode that escapes its limits shows as a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;
use verifyd_engine::upload::{inspect_image, ImageLimits};

fuzz_target!(|data: &[u8]| {
    let limits = ImageLimits::default();
    let Ok(info) = inspect_image(data, &limits) else {
        return;
    };
    assert!(
        info.width <= limits.max_dimension && info.height <= limits.max_dimension,
        "{info:?} accepted beyond the limits"
    );
    assert!(
        info.width.max(info.height) > limits.min_longest_side,
        "{info:?} accepted below the limits"
    );
    assert!(
        info.length > 0 && info.length <= data.len(),
        "{info:?}: the image's end is outside the {} bytes uploaded",
        data.len()
    );
    // What is stored is the upload cut at the image's own end: it must be the same image.
    if info.length < data.len() {
        let stored = inspect_image(&data[..info.length], &limits);
        assert_eq!(
            stored,
            Ok(info),
            "the upload cut at its end ({} of {} bytes) is not the image accepted",
            info.length,
            data.len()
        );
    }
});
