//! Deletion by prefix (an account's or credential's blobs go when it is deleted) and the URL's
//! prefix (an installation's blobs stay under the path its blob store URL names).

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use uuid::Uuid;
use verifyd_domain::blob_store::keys;

use super::{Outcome, Stores, PREFIX};

const TENANT: Uuid = Uuid::from_u128(1);
const OTHER_TENANT: Uuid = Uuid::from_u128(2);

fn account(n: u128) -> Uuid {
    Uuid::from_u128(0x100 + n)
}

fn part(tenant: Uuid, account: Uuid, credential: u128, classifier: &str) -> String {
    keys::part(
        tenant,
        account,
        Uuid::from_u128(0x200 + credential),
        classifier,
        Uuid::from_u128(0x300 + credential),
    )
}

/// An account's blobs of every credential go; another account of the tenant, the same account
/// id in another tenant, and a key that only shares the prefix's characters (not its last path
/// segment) stay.
pub async fn deleting_an_account_takes_only_its_blobs(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    let gone = [
        part(TENANT, account(1), 1, "FRONT"),
        part(TENANT, account(1), 1, "BACK"),
        part(TENANT, account(1), 2, "FACE"),
    ];
    let account_prefix = keys::account_prefix(TENANT, account(1));
    let look_alike = format!(
        "{}x/credentials/1/FRONT-1",
        account_prefix.trim_end_matches('/')
    );
    let kept = [
        part(TENANT, account(2), 3, "FRONT"),
        part(OTHER_TENANT, account(1), 1, "FRONT"),
        look_alike,
    ];
    for key in gone.iter().chain(&kept) {
        store.put(key, Bytes::from(key.clone())).await?;
    }

    store.delete_prefix(&account_prefix).await?;

    for key in &gone {
        assert_eq!(store.get(key).await?, None, "{key}");
    }
    for key in &kept {
        assert_eq!(
            store.get(key).await?,
            Some(Bytes::from(key.clone())),
            "{key}"
        );
    }
    Ok(())
}

pub async fn deleting_a_prefix_with_nothing_under_it_is_no_error(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    store
        .delete_prefix(&keys::account_prefix(TENANT, account(1)))
        .await?;
    store
        .put(
            &part(TENANT, account(2), 1, "FRONT"),
            Bytes::from_static(b"x"),
        )
        .await?;
    store
        .delete_prefix(&keys::credential_prefix(
            TENANT,
            account(2),
            Uuid::from_u128(0x299),
        ))
        .await?;
    assert_eq!(
        store.get(&part(TENANT, account(2), 1, "FRONT")).await?,
        Some(Bytes::from_static(b"x"))
    );
    Ok(())
}

/// More blobs than one S3 listing page or bulk delete holds (1000).
pub async fn deleting_a_prefix_takes_more_than_a_listing_page(stores: &Stores) -> Outcome {
    let store = stores.store.as_ref();
    let keys: Vec<String> = (0..1001)
        .map(|n| part(TENANT, account(1), n, "FRONT"))
        .collect();
    futures::stream::iter(&keys)
        .map(|key| store.put(key, Bytes::from_static(b"page")))
        .buffer_unordered(16)
        .try_collect::<Vec<()>>()
        .await?;
    let neighbour = part(TENANT, account(2), 1, "FRONT");
    store.put(&neighbour, Bytes::from_static(b"kept")).await?;

    store
        .delete_prefix(&keys::account_prefix(TENANT, account(1)))
        .await?;

    for key in [&keys[0], &keys[499], &keys[999], &keys[1000]] {
        assert_eq!(store.get(key).await?, None, "{key}");
    }
    assert_eq!(
        store.get(&neighbour).await?,
        Some(Bytes::from_static(b"kept"))
    );
    Ok(())
}

/// What the store keeps as `k` is `PREFIX` + `k` at the backend's root, and nothing outside
/// `PREFIX` is visible through the store.
pub async fn the_url_prefix_holds_the_stores_keys(stores: &Stores) -> Outcome {
    let (store, root) = (stores.store.as_ref(), stores.root.as_ref());
    let key = part(TENANT, account(1), 1, "FRONT");
    store.put(&key, Bytes::from_static(b"inside")).await?;
    assert_eq!(
        root.get(&format!("{PREFIX}{key}")).await?,
        Some(Bytes::from_static(b"inside"))
    );
    assert_eq!(root.get(&key).await?, None);

    let outside = part(TENANT, account(2), 1, "FRONT");
    root.put(&outside, Bytes::from_static(b"outside")).await?;
    assert_eq!(store.get(&outside).await?, None);
    root.put(
        &format!("{PREFIX}{outside}"),
        Bytes::from_static(b"put at the root"),
    )
    .await?;
    assert_eq!(
        store.get(&outside).await?,
        Some(Bytes::from_static(b"put at the root"))
    );
    Ok(())
}

/// Deleting an account through the store leaves a blob of the same key outside the URL prefix
/// (another installation sharing the bucket) alone.
pub async fn deleting_a_prefix_stays_inside_the_url_prefix(stores: &Stores) -> Outcome {
    let (store, root) = (stores.store.as_ref(), stores.root.as_ref());
    let key = part(TENANT, account(1), 1, "FRONT");
    store.put(&key, Bytes::from_static(b"inside")).await?;
    root.put(&key, Bytes::from_static(b"outside")).await?;

    store
        .delete_prefix(&keys::account_prefix(TENANT, account(1)))
        .await?;

    assert_eq!(store.get(&key).await?, None);
    assert_eq!(root.get(&format!("{PREFIX}{key}")).await?, None);
    assert_eq!(root.get(&key).await?, Some(Bytes::from_static(b"outside")));
    Ok(())
}
