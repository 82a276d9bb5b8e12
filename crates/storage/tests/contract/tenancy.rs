//! Tenant scoping. Tenants share one database; a tenant's caller names ids it may have taken
//! from anywhere, so every read and write keyed by tenant must behave as if the other tenants'
//! records did not exist, and the duplicate searches must never match across tenants.

use verifyd_domain::repository::{Repository, RepositoryError};

use super::fixtures::{account_id, add_tenant, execution_id, Initiation, Outcome};
use super::footprint::Footprint;

/// With another tenant's id, reads of accounts, executions, credentials and callbacks find
/// nothing; with its own, the tenant reads exactly what was stored.
pub async fn reads_by_tenant_never_cross_tenants(repo: &dyn Repository) -> Outcome {
    let mine = add_tenant(repo, 1).await?;
    let theirs = add_tenant(repo, 2).await?;
    let own = Footprint::seed(repo, mine, 1, "fp-1").await?;
    let foreign = Footprint::seed(repo, theirs, 2, "fp-2").await?;

    for (tenant, footprint) in [(theirs, &own), (mine, &foreign)] {
        let account = footprint.account;
        assert_eq!(repo.account(tenant, account).await?, None);
        assert_eq!(repo.executions_of(tenant, account).await?, vec![]);
        for execution in footprint.executions() {
            assert_eq!(repo.execution(tenant, account, execution).await?, None);
            assert_eq!(repo.callbacks_of(tenant, execution).await?, vec![]);
        }
        for credential in footprint.credential_ids() {
            assert_eq!(repo.credential(tenant, account, credential).await?, None);
        }
        assert!(repo.account_credentials(tenant, account).await?.is_empty());
    }

    let stored = repo
        .execution(mine, own.account, own.initiated.id)
        .await?
        .ok_or("the tenant cannot read its own execution")?;
    assert_eq!(stored.id, own.initiated.id);
    assert_eq!(stored.tenant_id, mine);
    assert_eq!(repo.executions_of(mine, own.account).await?.len(), 3);
    assert_eq!(repo.account_credentials(mine, own.account).await?.len(), 4);
    let callbacks = repo.callbacks_of(mine, own.processed.id).await?;
    assert_eq!(
        callbacks.iter().map(|r| &r.callback).collect::<Vec<_>>(),
        vec![&own.callback]
    );
    // An execution named under the wrong account of the right tenant is not found either.
    assert_eq!(
        repo.execution(mine, account_id(99), own.initiated.id)
            .await?,
        None
    );
    Ok(())
}

/// The duplicate searches (documents by fingerprint, face templates, replayed liveness frames)
/// look within the tenant only, even for a document both tenants verified.
pub async fn duplicate_searches_stay_within_the_tenant(repo: &dyn Repository) -> Outcome {
    let first = add_tenant(repo, 1).await?;
    let second = add_tenant(repo, 2).await?;
    let a = Footprint::seed(repo, first, 1, "fp-shared").await?;
    let b = Footprint::seed(repo, first, 2, "fp-shared").await?;
    let c = Footprint::seed(repo, second, 3, "fp-shared").await?;

    assert_eq!(
        repo.accounts_with_document(first, "fp-shared", a.account)
            .await?,
        vec![b.account]
    );
    assert_eq!(
        repo.accounts_with_document(second, "fp-shared", c.account)
            .await?,
        Vec::<uuid::Uuid>::new()
    );
    assert_eq!(
        repo.accounts_with_document(second, "fp-shared", a.account)
            .await?,
        vec![c.account]
    );

    let accounts = |templates: Vec<verifyd_domain::repository::StoredFaceTemplate>| {
        templates
            .into_iter()
            .map(|t| (t.account_id, t.template))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        accounts(repo.face_templates(first, a.account).await?),
        vec![(b.account, b.template.clone())]
    );
    assert_eq!(
        accounts(repo.face_templates(second, c.account).await?),
        vec![]
    );
    assert_eq!(
        accounts(repo.face_templates(second, a.account).await?),
        vec![(c.account, c.template.clone())]
    );

    let sorted = |mut frames: Vec<u64>| {
        frames.sort_unstable();
        frames
    };
    assert_eq!(
        sorted(repo.liveness_fingerprints(first, a.processed.id).await?),
        sorted(b.frames.clone())
    );
    assert_eq!(
        repo.liveness_fingerprints(second, c.processed.id).await?,
        Vec::<u64>::new()
    );
    assert_eq!(
        sorted(repo.liveness_fingerprints(second, a.processed.id).await?),
        sorted(c.frames.clone()),
        "frames keep all 64 bits and stay within their tenant"
    );
    Ok(())
}

/// Another tenant can neither delete an account or execution it does not own, nor start an
/// execution on it, nor take its id for a new account.
pub async fn writes_by_tenant_never_cross_tenants(repo: &dyn Repository) -> Outcome {
    let owner = add_tenant(repo, 1).await?;
    let intruder = add_tenant(repo, 2).await?;
    let footprint = Footprint::seed(repo, owner, 1, "fp-1").await?;
    let before = footprint.snapshot(repo).await?;

    assert!(
        !repo
            .delete_account(
                intruder,
                footprint.account,
                &[],
                footprint.processed.created_at
            )
            .await?
    );
    assert!(
        !repo
            .delete_execution(
                intruder,
                footprint.account,
                footprint.processed.id,
                &[],
                footprint.processed.created_at
            )
            .await?
    );
    let update =
        Initiation::new(intruder, footprint.account, execution_id(900))?.on_existing_account();
    let refused = repo.insert_execution(update.record()).await;
    assert!(
        matches!(refused, Err(RepositoryError::Conflict(_))),
        "{refused:?}"
    );
    let takeover = Initiation::new(intruder, footprint.account, execution_id(901))?;
    let refused = repo.insert_execution(takeover.record()).await;
    assert!(
        matches!(refused, Err(RepositoryError::Conflict(_))),
        "{refused:?}"
    );

    for execution in [execution_id(900), execution_id(901)] {
        assert_eq!(repo.execution_by_id(execution).await?, None);
    }
    assert_eq!(repo.pending_blob_deletions().await?, Vec::<String>::new());
    assert_eq!(footprint.snapshot(repo).await?, before);
    Ok(())
}
