//! One blob at a time: what an upload writes, what processing and retrieval read back.

use bytes::Bytes;
use uuid::Uuid;
use verifyd_domain::blob_store::keys;

use super::{noise, Outcome, Stores};

fn part(n: u128) -> String {
    keys::part(
        Uuid::from_u128(1),
        Uuid::from_u128(2),
        Uuid::from_u128(3),
        "FRONT",
        Uuid::from_u128(n),
    )
}

/// Every byte value survives, and a second blob does not disturb the first.
pub async fn a_blob_reads_back_as_written(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    let all_bytes = Bytes::from((0..=255u8).collect::<Vec<u8>>());
    store.put(&part(1), all_bytes.clone()).await?;
    store.put(&part(2), Bytes::from_static(b"second")).await?;
    assert_eq!(store.get(&part(1)).await?, Some(all_bytes));
    assert_eq!(
        store.get(&part(2)).await?,
        Some(Bytes::from_static(b"second"))
    );
    Ok(())
}

/// A key never written, in an empty store and next to written ones, is `None`, not an error.
pub async fn a_missing_blob_is_none(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    assert_eq!(store.get(&part(1)).await?, None);
    store.put(&part(1), Bytes::from_static(b"here")).await?;
    assert_eq!(store.get(&part(2)).await?, None);
    assert_eq!(store.get("tenants/elsewhere/nothing").await?, None);
    Ok(())
}

/// A put on an existing key replaces it whole: a shorter blob leaves no tail of the longer.
pub async fn an_overwrite_replaces_the_bytes(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    store.put(&part(1), noise(10_000, 1)).await?;
    store.put(&part(1), Bytes::from_static(b"short")).await?;
    assert_eq!(
        store.get(&part(1)).await?,
        Some(Bytes::from_static(b"short"))
    );
    let longer = noise(20_000, 2);
    store.put(&part(1), longer.clone()).await?;
    assert_eq!(store.get(&part(1)).await?, Some(longer));
    Ok(())
}

pub async fn a_deleted_blob_is_gone_and_deleting_again_is_no_error(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    store.put(&part(1), Bytes::from_static(b"gone")).await?;
    store.put(&part(2), Bytes::from_static(b"kept")).await?;
    store.delete(&part(1)).await?;
    assert_eq!(store.get(&part(1)).await?, None);
    assert_eq!(
        store.get(&part(2)).await?,
        Some(Bytes::from_static(b"kept"))
    );
    store.delete(&part(1)).await?;
    store.delete(&part(3)).await?;
    Ok(())
}

pub async fn an_empty_blob_reads_back_empty(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    store.put(&part(1), Bytes::new()).await?;
    assert_eq!(store.get(&part(1)).await?, Some(Bytes::new()));
    Ok(())
}

/// Larger than an upload may be (15 MiB by default) and than the chunks a store splits blobs
/// into (SeaweedFS: 4 MiB), not a multiple of either.
pub async fn a_large_blob_reads_back_whole(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    let large = noise(16 * 1024 * 1024 + 3, 7);
    store.put(&part(1), large.clone()).await?;
    let read = store.get(&part(1)).await?;
    assert_eq!(read.as_ref().map(Bytes::len), Some(large.len()));
    assert!(read == Some(large), "the large blob read back differs");
    Ok(())
}

/// What `/health` runs; two at once (two probes of a load balancer) must both pass.
pub async fn the_write_probe_passes_even_when_probes_overlap(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    let (first, second) = tokio::join!(store.check_writable(), store.check_writable());
    first?;
    second?;
    store.check_writable().await?;
    Ok(())
}
