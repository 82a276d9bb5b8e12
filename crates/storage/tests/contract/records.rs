//! The records behind authentication and the server's own secrets. A tenant's settings and API
//! credentials must read back as they were stored, names and client ids are unique, and the
//! server's secrets are stored once (so that processes starting together agree on one) and
//! replaced only while they still hold what the replacer expects.

use verifyd_domain::catalogue::IdType;
use verifyd_domain::model::{AcceptedCountry, ApiClient, Category, DocumentChoice, Scope, Tenant};
use verifyd_domain::repository::{Repository, RepositoryError};

use super::fixtures::{
    account_id, add_tenant, at, credential_id, execution_id, tenant_id, Initiation, Outcome, HOUR,
    MINUTE,
};

/// A tenant reads back by id and by name with its settings, which can be set and cleared; a
/// second tenant of the same name is refused with nothing of it stored; API clients read back
/// with their scopes, and a client id is unique.
pub async fn tenants_and_api_clients_read_back_as_stored(repo: &dyn Repository) -> Outcome {
    repo.ping().await?;
    let tenant = add_tenant(repo, 1).await?;
    let stored = Tenant {
        id: tenant_id(1),
        name: "tenant-1".to_owned(),
        accepted_id_types: None,
        callback_url: None,
        created_at: at(0),
    };
    assert_eq!(repo.tenant(tenant).await?, Some(stored.clone()));
    assert_eq!(repo.tenant_by_name("tenant-1").await?, Some(stored.clone()));
    assert_eq!(repo.tenant_by_name("tenant-2").await?, None);
    assert_eq!(repo.tenant(tenant_id(2)).await?, None);

    let accepted = vec![AcceptedCountry {
        country_code: "NLD".to_owned(),
        id_types: vec![IdType::Passport, IdType::IdCard],
    }];
    repo.set_accepted_id_types(tenant, Some(&accepted)).await?;
    repo.set_tenant_callback_url(tenant, Some("https://tenant.example/default"))
        .await?;
    let configured = repo.tenant(tenant).await?.ok_or("no tenant")?;
    assert_eq!(
        (configured.accepted_id_types, configured.callback_url),
        (
            Some(accepted),
            Some("https://tenant.example/default".to_owned())
        )
    );
    repo.set_accepted_id_types(tenant, None).await?;
    repo.set_tenant_callback_url(tenant, None).await?;
    assert_eq!(repo.tenant(tenant).await?, Some(stored));

    let twin = Tenant {
        id: tenant_id(2),
        name: "tenant-1".to_owned(),
        accepted_id_types: None,
        callback_url: None,
        created_at: at(MINUTE),
    };
    let twin_client = ApiClient {
        client_id: "client-twin".to_owned(),
        tenant_id: twin.id,
        secret_hash: "$argon2id$twin".to_owned(),
        scopes: Scope::ALL.to_vec(),
        created_at: at(MINUTE),
    };
    let refused = repo.insert_tenant(&twin, &twin_client).await;
    assert!(
        matches!(refused, Err(RepositoryError::Conflict(_))),
        "a second tenant named tenant-1: {refused:?}"
    );
    assert_eq!(repo.tenant(twin.id).await?, None);
    assert_eq!(
        repo.api_client("client-twin").await?,
        None,
        "the client of a refused tenant was stored"
    );

    let first = repo.api_client("client-1").await?.ok_or("no client")?;
    assert_eq!(
        (first.tenant_id, first.scopes),
        (tenant, Scope::ALL.to_vec())
    );
    let admin = ApiClient {
        client_id: "client-1-admin".to_owned(),
        tenant_id: tenant,
        secret_hash: "$argon2id$admin".to_owned(),
        scopes: vec![Scope::Retrieve, Scope::Delete],
        created_at: at(MINUTE),
    };
    repo.insert_api_client(&admin).await?;
    assert_eq!(
        repo.api_client("client-1-admin").await?,
        Some(admin.clone())
    );
    let again = repo.insert_api_client(&admin).await;
    assert!(
        matches!(again, Err(RepositoryError::Conflict(_))),
        "a client id stored twice: {again:?}"
    );
    assert_eq!(repo.api_client("client-unknown").await?, None);
    Ok(())
}

/// The first candidate for a server secret is stored and every later call gets it back, also
/// when two ask at once; a replacement happens only while the secret holds the expected value.
pub async fn a_server_secret_is_stored_once_and_replaced_only_as_expected(
    repo: &dyn Repository,
) -> Outcome {
    assert_eq!(
        repo.server_secret("token-signing", &[1; 32], at(0)).await?,
        vec![1; 32]
    );
    assert_eq!(
        repo.server_secret("token-signing", &[2; 32], at(MINUTE))
            .await?,
        vec![1; 32],
        "a later candidate replaced the stored secret"
    );
    assert_eq!(
        repo.server_secret("facemap-sealing", &[3; 32], at(0))
            .await?,
        vec![3; 32]
    );

    assert!(
        !repo
            .replace_server_secret("token-signing", &[9; 32], &[4; 48])
            .await?,
        "replaced a secret that did not hold the expected value"
    );
    assert!(
        repo.replace_server_secret("token-signing", &[1; 32], &[4; 48])
            .await?
    );
    assert_eq!(
        repo.server_secret("token-signing", &[5; 32], at(HOUR))
            .await?,
        vec![4; 48]
    );
    assert_eq!(
        repo.server_secret("facemap-sealing", &[6; 32], at(HOUR))
            .await?,
        vec![3; 32],
        "replacing one secret changed another"
    );
    assert!(
        !repo
            .replace_server_secret("never-stored", &[1; 32], &[2; 32])
            .await?
    );

    let (one, other) = futures::future::try_join(
        repo.server_secret("callback-signing", &[7; 32], at(0)),
        repo.server_secret("callback-signing", &[8; 32], at(0)),
    )
    .await?;
    assert_eq!(one, other, "two first starts disagree on the secret");
    Ok(())
}

/// The document the user chose is stored on the credential, apart from the customer's presets;
/// a later choice replaces it.
pub async fn the_chosen_document_is_kept_apart_from_the_presets(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    Initiation::new(tenant, account_id(1), execution_id(1))?
        .credential(credential_id(1), Category::Id)
        .store(repo)
        .await?;
    let chosen = |country: &str, id_type| DocumentChoice {
        country: country.to_owned(),
        id_type,
    };

    repo.choose_document(credential_id(1), &chosen("NLD", IdType::Passport))
        .await?;
    let credential = repo
        .credential(tenant, account_id(1), credential_id(1))
        .await?
        .ok_or("no credential")?;
    assert_eq!(credential.chosen, Some(chosen("NLD", IdType::Passport)));
    assert_eq!((credential.country, credential.id_type), (None, None));

    repo.choose_document(credential_id(1), &chosen("DEU", IdType::IdCard))
        .await?;
    let linked = repo.execution_credentials(execution_id(1)).await?;
    assert_eq!(
        linked
            .iter()
            .map(|l| l.credential.chosen.clone())
            .collect::<Vec<_>>(),
        vec![Some(chosen("DEU", IdType::IdCard))]
    );
    Ok(())
}
