//! Deletion. A tenant deletes an account (or one execution) to erase a person's data: every read
//! must then find nothing of it, the duplicate searches must stop matching it, its waiting work
//! must not run, and nothing of any other account may go with it.

use verifyd_domain::model::{Category, Classifier, ExecutionStatus, WorkflowExecution};
use verifyd_domain::repository::{CallbackAttempt, CallbackState, Repository};

use super::fixtures::{
    account_id, add_tenant, at, callback, callback_id, credential_id, execution_id, finalize,
    job_id, lease, process, Error, Initiation, Outcome, DAY, HOUR, MINUTE,
};
use super::footprint::{Footprint, WAITING_JOB_DUE};

/// Deleting an account removes its executions, credentials, parts, liveness challenge, face
/// evidence, document fingerprint and waiting job, and records its blobs for deletion.
pub async fn deleting_an_account_removes_everything_under_it(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let gone = Footprint::seed(repo, tenant, 1, "fp-shared").await?;
    let kept = Footprint::seed(repo, tenant, 2, "fp-shared").await?;

    // What the searches find of `gone` before: so the emptiness afterwards means something.
    assert_eq!(
        repo.accounts_with_document(tenant, &gone.fingerprint, kept.account)
            .await?,
        vec![gone.account]
    );
    assert_eq!(repo.face_templates(tenant, kept.account).await?.len(), 1);
    let mut frames = repo
        .liveness_fingerprints(tenant, kept.processed.id)
        .await?;
    frames.sort_unstable();
    let mut expected = gone.frames.clone();
    expected.sort_unstable();
    assert_eq!(frames, expected);
    assert_eq!(repo.overdue_jobs(at(DAY)).await?, 2);
    assert_eq!(
        repo.parts(&gone.credential_ids()).await?.len(),
        gone.part_count()
    );

    // The face template sealed each account's first data key; asking again finds the same.
    let key = repo.data_key(tenant, gone.account, false).await?;
    assert!(key.is_some(), "sealing the template made the data key");
    assert!(repo.data_key(tenant, kept.account, false).await?.is_some());

    let prefix = format!("tenants/{tenant}/accounts/{}/", gone.account);
    assert!(
        repo.delete_account(
            tenant,
            gone.account,
            std::slice::from_ref(&prefix),
            at(HOUR)
        )
        .await?
    );

    assert_eq!(repo.account(tenant, gone.account).await?, None);
    assert!(
        repo.data_key(tenant, gone.account, false).await?.is_none(),
        "the data key is destroyed with the account"
    );
    assert!(repo.data_key(tenant, kept.account, false).await?.is_some());
    assert_eq!(repo.executions_of(tenant, gone.account).await?, vec![]);
    for execution in gone.executions() {
        assert_eq!(repo.execution(tenant, gone.account, execution).await?, None);
        assert_eq!(repo.execution_by_id(execution).await?, None);
        assert_eq!(repo.execution_credentials(execution).await?, vec![]);
    }
    for (credential, classifiers) in &gone.credentials {
        assert_eq!(
            repo.credential(tenant, gone.account, *credential).await?,
            None
        );
        for classifier in classifiers {
            assert_eq!(repo.part(*credential, *classifier).await?, None);
        }
    }
    assert_eq!(repo.parts(&gone.credential_ids()).await?, vec![]);
    assert!(repo
        .account_credentials(tenant, gone.account)
        .await?
        .is_empty());
    assert_eq!(
        repo.liveness_challenge(gone.facemap_credential).await?,
        None
    );
    assert_eq!(
        repo.accounts_with_document(tenant, &gone.fingerprint, kept.account)
            .await?,
        Vec::<uuid::Uuid>::new(),
        "a deleted account's document still counts as a duplicate"
    );
    assert_eq!(
        repo.face_templates(tenant, kept.account).await?,
        vec![],
        "a deleted account's face still counts as a duplicate"
    );
    assert_eq!(
        repo.liveness_fingerprints(tenant, kept.processed.id)
            .await?,
        Vec::<u64>::new(),
        "a deleted account's frames still count as replays"
    );
    assert_eq!(repo.overdue_jobs(at(DAY)).await?, 1);
    let next = repo
        .claim_job(at(WAITING_JOB_DUE), at(DAY), lease(1))
        .await?;
    assert_eq!(
        next.map(|job| job.id),
        Some(kept.waiting_job),
        "the deleted account's waiting job was handed out"
    );
    assert_eq!(repo.pending_blob_deletions().await?, vec![prefix]);
    assert!(
        !repo
            .delete_account(tenant, gone.account, &[], at(HOUR))
            .await?,
        "an account is deleted once"
    );
    Ok(())
}

/// Deleting one account leaves every other account, of its tenant and of others, as it was,
/// and the duplicate searches still find them.
pub async fn deleting_an_account_leaves_other_accounts_intact(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let other_tenant = add_tenant(repo, 2).await?;
    let gone = Footprint::seed(repo, tenant, 1, "fp-shared").await?;
    let neighbour = Footprint::seed(repo, tenant, 2, "fp-shared").await?;
    let stranger = Footprint::seed(repo, other_tenant, 3, "fp-shared").await?;

    let neighbour_before = neighbour.snapshot(repo).await?;
    let stranger_before = stranger.snapshot(repo).await?;
    // Not vacuous: the snapshots hold the whole footprints.
    assert_eq!(neighbour_before.executions.len(), 3);
    assert_eq!(neighbour_before.on_file.len(), 4);
    assert_eq!(neighbour_before.parts.len(), neighbour.part_count());
    assert_eq!(neighbour_before.callbacks.len(), 1);
    assert!(neighbour_before.challenge.is_some());

    assert!(
        repo.delete_account(tenant, gone.account, &[], at(HOUR))
            .await?
    );

    assert_eq!(neighbour.snapshot(repo).await?, neighbour_before);
    assert_eq!(stranger.snapshot(repo).await?, stranger_before);
    assert_eq!(
        repo.accounts_with_document(tenant, "fp-shared", account_id(99))
            .await?,
        vec![neighbour.account]
    );
    let templates = repo.face_templates(tenant, account_id(99)).await?;
    assert_eq!(
        templates
            .iter()
            .map(|t| (t.account_id, &t.template))
            .collect::<Vec<_>>(),
        vec![(neighbour.account, &neighbour.template)]
    );
    let mut frames = repo
        .liveness_fingerprints(tenant, execution_id(999))
        .await?;
    frames.sort_unstable();
    let mut expected = neighbour.frames.clone();
    expected.sort_unstable();
    assert_eq!(frames, expected);
    Ok(())
}

/// Deleting one execution removes it with the credentials it owns, their parts and its face
/// evidence; the account and its other executions stay.
pub async fn deleting_an_execution_removes_only_what_it_owns(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let footprint = Footprint::seed(repo, tenant, 1, "fp-1").await?;
    let [processed, initiated, acquired] = footprint.executions();
    let prefix = format!("tenants/{tenant}/executions/{processed}/");

    assert!(
        repo.delete_execution(
            tenant,
            footprint.account,
            processed,
            std::slice::from_ref(&prefix),
            at(HOUR)
        )
        .await?
    );

    assert_eq!(repo.execution_by_id(processed).await?, None);
    let (id_card, id_parts) = &footprint.credentials[0];
    assert_eq!(
        repo.credential(tenant, footprint.account, *id_card).await?,
        None
    );
    for classifier in id_parts {
        assert_eq!(repo.part(*id_card, *classifier).await?, None);
    }
    assert_eq!(
        repo.part(footprint.facemap_credential, Classifier::Facemap)
            .await?,
        None
    );
    assert_eq!(
        repo.liveness_challenge(footprint.facemap_credential)
            .await?,
        None
    );
    assert_eq!(repo.face_templates(tenant, account_id(99)).await?, vec![]);
    assert_eq!(
        repo.liveness_fingerprints(tenant, execution_id(999))
            .await?,
        Vec::<u64>::new()
    );

    assert!(repo.account(tenant, footprint.account).await?.is_some());
    let remaining: Vec<_> = repo
        .executions_of(tenant, footprint.account)
        .await?
        .into_iter()
        .map(|e| (e.id, e.status))
        .collect();
    assert_eq!(
        remaining,
        vec![
            (initiated, ExecutionStatus::Initiated),
            (acquired, ExecutionStatus::Acquired)
        ]
    );
    let (selfie, _) = footprint.credentials[2];
    assert!(repo.part(selfie, Classifier::Face).await?.is_some());
    assert_eq!(repo.pending_blob_deletions().await?, vec![prefix]);
    assert!(
        !repo
            .delete_execution(tenant, footprint.account, processed, &[], at(HOUR))
            .await?,
        "an execution is deleted once"
    );
    Ok(())
}

/// A netverify execution of account 1, finalized and processed at 2 minutes with its callback
/// `callback_id(n)` queued.
async fn processed_netverify(
    repo: &dyn Repository,
    tenant: uuid::Uuid,
) -> Result<WorkflowExecution, Error> {
    let netverify = Initiation::new(tenant, account_id(1), execution_id(1))?
        .netverify()
        .credential(credential_id(1), Category::Id)
        .store(repo)
        .await?;
    processed_with_callback(repo, &netverify, 1).await?;
    Ok(netverify)
}

/// Finalizes `execution` (job `n`) and processes it at 2 minutes, queueing `callback_id(n)`.
async fn processed_with_callback(
    repo: &dyn Repository,
    execution: &WorkflowExecution,
    n: u128,
) -> Outcome {
    finalize(repo, execution.id, job_id(n), at(2 * MINUTE)).await?;
    let queued = callback(
        callback_id(n),
        execution,
        ExecutionStatus::Processed,
        at(2 * MINUTE),
    );
    process(
        repo,
        execution.id,
        lease(n),
        at(2 * MINUTE),
        Some(&queued),
        &[],
    )
    .await?;
    Ok(())
}

/// Deleting gives up the undelivered netverify callbacks (their body carries the deleted data)
/// and keeps the KYX ones (which carry only links), which are then still delivered.
pub async fn deletion_gives_up_netverify_callbacks_only(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let netverify = processed_netverify(repo, tenant).await?;
    let kyx = Initiation::new(tenant, account_id(1), execution_id(2))?
        .on_existing_account()
        .created_at(at(MINUTE))
        .credential(credential_id(2), Category::Id)
        .store(repo)
        .await?;
    processed_with_callback(repo, &kyx, 2).await?;

    assert!(
        repo.delete_account(tenant, account_id(1), &[], at(HOUR))
            .await?
    );

    let given_up = repo.callbacks_of(tenant, netverify.id).await?;
    assert_eq!(
        given_up
            .iter()
            .map(|r| (r.gave_up_at, r.next_attempt_at, r.delivered_at))
            .collect::<Vec<_>>(),
        vec![(Some(at(HOUR)), None, None)]
    );
    let kept = repo.callbacks_of(tenant, kyx.id).await?;
    assert_eq!(
        kept.iter()
            .map(|r| (r.gave_up_at, r.next_attempt_at))
            .collect::<Vec<_>>(),
        vec![(None, Some(at(2 * MINUTE)))]
    );
    let claimed = repo
        .claim_callback(at(HOUR), at(HOUR + MINUTE), lease(10))
        .await?;
    assert_eq!(claimed.map(|c| c.callback.id), Some(callback_id(2)));
    assert_eq!(
        repo.claim_callback(at(HOUR), at(HOUR + MINUTE), lease(11))
            .await?,
        None,
        "the deleted netverify execution's callback was handed out"
    );
    Ok(())
}

/// Blob prefixes recorded by a deletion stay pending (for the purge after a crash) until each is
/// confirmed done, and are recorded once however often they are named.
pub async fn blob_deletions_stay_pending_until_done(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    for n in 1..=2 {
        Initiation::new(tenant, account_id(n), execution_id(n))?
            .store(repo)
            .await?;
    }
    let (first, second) = ("blobs/account-1/".to_owned(), "blobs/account-2/".to_owned());
    repo.delete_account(
        tenant,
        account_id(1),
        &[first.clone(), first.clone()],
        at(0),
    )
    .await?;
    repo.delete_account(tenant, account_id(2), std::slice::from_ref(&second), at(1))
        .await?;
    assert_eq!(
        repo.pending_blob_deletions().await?,
        vec![first.clone(), second.clone()]
    );
    repo.blob_deletion_done(&first).await?;
    assert_eq!(repo.pending_blob_deletions().await?, vec![second]);
    Ok(())
}

/// A deliverer that held a netverify callback while its account was deleted cannot bring it
/// back by reporting a failed attempt: the deletion gave it up for good.
pub async fn a_callback_given_up_by_deletion_stays_given_up(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    processed_netverify(repo, tenant).await?;
    let held = repo
        .claim_callback(at(3 * MINUTE), at(10 * MINUTE), lease(2))
        .await?
        .ok_or("the callback was not handed out")?;

    assert!(
        repo.delete_account(tenant, account_id(1), &[], at(4 * MINUTE))
            .await?
    );
    let failed = CallbackAttempt {
        attempted_at: at(5 * MINUTE),
        status_code: Some(503),
        error: None,
        duration_ms: 120,
    };
    repo.finish_callback_attempt(&held, &failed, CallbackState::RetryAt(at(6 * MINUTE)))
        .await?;

    assert_eq!(
        repo.claim_callback(at(DAY), at(DAY + MINUTE), lease(3))
            .await?
            .map(|claimed| claimed.callback.id),
        None,
        "a callback the deletion gave up was handed out again"
    );
    Ok(())
}
