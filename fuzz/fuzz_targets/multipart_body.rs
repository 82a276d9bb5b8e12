//! The multipart parser behind the parts upload (`POST .../parts/{classifier}`): axum's
//! `Multipart` is multer's, fed the request body as it streams in. Here multer reads a fuzzed
//! body under a fixed boundary, as the server reads it: every field in turn, the bytes of each
//! chunk by chunk, capped at a size limit.
//!
//! Input: one selector byte, then the body. Selector bits 0-3 choose how the body is cut into
//! the chunks the stream delivers (a boundary split across chunks is multer's hard case);
//! bit 4: read the fields that are not `file` as text (multer's charset handling) instead of
//! leaving them unread as the server does; bit 5: read at most one `file` field and stop, as
//! the server does.

#![no_main]

use std::convert::Infallible;
use std::sync::OnceLock;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;

const BOUNDARY: &str = "verifyd-fuzz-boundary";
/// Bytes read of one field before the upload is refused as too large (the server's cap is
/// configurable, 15 MB by default; fuzz inputs are far smaller).
const MAX_FIELD_BYTES: usize = 1 << 20;
const CHUNK_SIZES: [usize; 16] = [
    usize::MAX,
    1,
    2,
    3,
    4,
    5,
    7,
    8,
    13,
    16,
    31,
    64,
    100,
    511,
    4096,
    usize::MAX,
];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|error| panic!("no tokio runtime: {error}"))
    })
}

async fn read_fields(body: Vec<Bytes>, text_fields: bool, first_file_only: bool) {
    let stream = futures_util::stream::iter(body.into_iter().map(Ok::<Bytes, Infallible>));
    let mut multipart = multer::Multipart::new(stream, BOUNDARY);
    let mut previous_index = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) | Err(_) => return,
        };
        let index = field.index();
        assert!(
            previous_index.is_none_or(|previous| index > previous),
            "field indices go back: {index} after {previous_index:?}"
        );
        previous_index = Some(index);
        let _ = (
            field.file_name(),
            field.content_type(),
            field.headers().len(),
        );
        let is_file = field.name() == Some("file");
        if !is_file {
            if text_fields {
                let _ = field.text().await;
            }
            continue;
        }
        let mut size = 0usize;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    size += chunk.len();
                    if size > MAX_FIELD_BYTES {
                        return;
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
        if first_file_only {
            return;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let chunk_size = CHUNK_SIZES[usize::from(selector & 0x0f)];
    let chunks: Vec<Bytes> = body
        .chunks(chunk_size.min(body.len().max(1)))
        .map(Bytes::copy_from_slice)
        .collect();
    runtime().block_on(read_fields(
        chunks,
        selector & 0x10 != 0,
        selector & 0x20 != 0,
    ));
});
