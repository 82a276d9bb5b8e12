//! The contract of `verifyd_domain::blob_store::BlobStore`, written once for every backend.
//! Each check is a `pub async fn` taking fresh, empty `Stores`; it writes through the trait
//! alone and asserts what verifyd relies on: bytes read back as written, missing blobs are
//! `None`, deletion by prefix takes exactly what is under the prefix, and a store opened with a
//! URL prefix keeps its keys under it. A backend's test module runs them all with
//! `blob_store_contract!`, which makes one `#[tokio::test]` per check.

pub mod objects;
pub mod prefixes;

use std::sync::Arc;

use verifyd_domain::blob_store::BlobStore;

/// Any failure of a check: a blob store error, or a fixture that could not be set up.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// What every check returns; assertions fail by panicking, setup failures by `Err`.
pub type Outcome = Result<(), Error>;

/// A check that takes longer has a store that stopped answering: it fails, rather than holding
/// the test run (a blob operation gives up retrying after 15 s; the largest check makes a few
/// dozen of them).
pub const CHECK_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// The URL prefix of `Stores::store`, as keys of `Stores::root` start.
pub const PREFIX: &str = "verifyd/blobs/";

/// Two views of one empty backend (a directory, a bucket).
pub struct Stores {
    /// The store under test, opened with a URL whose path is `PREFIX` (`file:///DIR/verifyd/
    /// blobs`, `s3://BUCKET/verifyd/blobs`), as an installation configures it.
    pub store: Arc<dyn BlobStore>,
    /// The same backend opened at its root (`file:///DIR`, `s3://BUCKET`): what `store` keeps
    /// as `k` it sees as `PREFIX` + `k`.
    pub root: Arc<dyn BlobStore>,
}

/// One `#[tokio::test]` per check. `$open` is an async fn returning
/// `Result<(guard, Stores), Error>`: fresh, empty stores and whatever must live as long as they
/// (a temporary directory, a running server).
macro_rules! blob_store_contract {
    ($open:path) => {
        $crate::blob_contract::blob_store_contract!(
            $open;
            objects::a_blob_reads_back_as_written,
            objects::a_missing_blob_is_none,
            objects::an_overwrite_replaces_the_bytes,
            objects::a_deleted_blob_is_gone_and_deleting_again_is_no_error,
            objects::an_empty_blob_reads_back_empty,
            objects::a_large_blob_reads_back_whole,
            objects::the_write_probe_passes_even_when_probes_overlap,
            prefixes::deleting_an_account_takes_only_its_blobs,
            prefixes::deleting_a_prefix_with_nothing_under_it_is_no_error,
            prefixes::deleting_a_prefix_takes_more_than_a_listing_page,
            prefixes::the_url_prefix_holds_the_stores_keys,
            prefixes::deleting_a_prefix_stays_inside_the_url_prefix,
        );
    };
    ($open:path; $($module:ident :: $check:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $check() -> $crate::blob_contract::Outcome {
                let (_guard, stores) = $open().await?;
                tokio::time::timeout(
                    $crate::blob_contract::CHECK_LIMIT,
                    $crate::blob_contract::$module::$check(&stores),
                )
                .await
                .map_err(|_| {
                    format!(
                        "the check took over {:?}: the store stopped answering",
                        $crate::blob_contract::CHECK_LIMIT
                    )
                })?
            }
        )+
    };
}
pub(crate) use blob_store_contract;

/// `len` bytes of a fixed pseudo-random sequence (xorshift), so that a misplaced chunk shows.
pub fn noise(len: usize, seed: u64) -> bytes::Bytes {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect::<Vec<u8>>()
        .into()
}
