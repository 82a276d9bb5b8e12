//! Expiry sweeps. An INITIATED execution expires when its token runs out before acquisition
//! started, or when its session (started by the first upload) has been idle too long; a user
//! relies on an expired execution accepting nothing more, and a tenant on its callback.

use verifyd_domain::model::{Category, Classifier, ExecutionStatus};
use verifyd_domain::repository::{DeleteOutcome, PutOutcome, Repository};

use super::fixtures::{
    account_id, add_tenant, at, callback, callback_id, credential_id, execution_id, finalize,
    job_id, just_before, part, touch, upload, Error, Initiation, Outcome, DAY, HOUR, MINUTE,
};

/// The executions `due_expiries` finds at `now`, as sorted ids.
async fn due_at(
    repo: &dyn Repository,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<uuid::Uuid>, Error> {
    let mut ids: Vec<_> = repo
        .due_expiries(now, 100)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    ids.sort();
    Ok(ids)
}

/// Before acquisition starts the token decides; once a session started, its end decides (even
/// while the token is still valid, and after it ran out); finalized executions never expire.
pub async fn the_sweep_finds_only_due_executions(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let token_only = execution_id(1);
    let session_past_token = execution_id(2);
    let session_before_token = execution_id(3);
    let finalized = execution_id(4);
    let far = execution_id(5);
    for (n, token_end) in [
        (1, HOUR),
        (2, HOUR),
        (3, 2 * HOUR),
        (4, HOUR),
        (5, 3 * HOUR),
    ] {
        Initiation::new(tenant, account_id(n), execution_id(n))?
            .credential(credential_id(n), Category::Id)
            .token_expires_at(at(token_end))
            .store(repo)
            .await?;
    }
    // Sessions run 15 minutes from the last upload.
    upload(
        repo,
        session_past_token,
        &part(credential_id(2), Classifier::Front, at(50 * MINUTE)),
    )
    .await?;
    upload(
        repo,
        session_before_token,
        &part(credential_id(3), Classifier::Front, at(10 * MINUTE)),
    )
    .await?;
    finalize(repo, finalized, job_id(4), at(30 * MINUTE)).await?;

    assert_eq!(
        due_at(repo, just_before(at(25 * MINUTE))).await?,
        Vec::<uuid::Uuid>::new()
    );
    assert_eq!(
        due_at(repo, at(25 * MINUTE)).await?,
        vec![session_before_token]
    );
    assert_eq!(
        due_at(repo, just_before(at(HOUR))).await?,
        vec![session_before_token]
    );
    assert_eq!(
        due_at(repo, at(HOUR)).await?,
        vec![token_only, session_before_token],
        "a started session outlives the token"
    );
    assert_eq!(
        due_at(repo, at(65 * MINUTE)).await?,
        vec![token_only, session_past_token, session_before_token]
    );
    assert_eq!(
        due_at(repo, at(DAY)).await?,
        vec![token_only, session_past_token, session_before_token, far]
    );
    Ok(())
}

/// The sweep takes at most `limit` executions, those whose token ran out first.
pub async fn the_sweep_takes_at_most_limit_earliest_first(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    for (n, token_end) in [(1, 3 * HOUR), (2, HOUR), (3, 2 * HOUR)] {
        Initiation::new(tenant, account_id(n), execution_id(n))?
            .token_expires_at(at(token_end))
            .store(repo)
            .await?;
    }
    let due: Vec<_> = repo
        .due_expiries(at(DAY), 2)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(due, vec![execution_id(2), execution_id(3)]);
    Ok(())
}

/// Expiring moves a due execution to the status given, once: its parts go, its blobs are
/// recorded for deletion, its callback is queued, and acquisition is refused afterwards. An
/// execution not yet due is left alone.
pub async fn expiring_closes_a_due_execution_once(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let idle = Initiation::new(tenant, account_id(1), execution_id(1))?
        .credential(credential_id(1), Category::Id)
        .store(repo)
        .await?;
    let front = part(credential_id(1), Classifier::Front, at(10 * MINUTE));
    upload(repo, idle.id, &front).await?;
    let session_end = at(25 * MINUTE);
    let report = callback(
        callback_id(1),
        &idle,
        ExecutionStatus::SessionExpired,
        session_end,
    );
    let prefix = format!("blobs/{}/", credential_id(1));

    assert!(
        !repo
            .expire_execution(
                idle.id,
                ExecutionStatus::SessionExpired,
                just_before(session_end),
                std::slice::from_ref(&prefix),
                Some(&report),
            )
            .await?,
        "an execution whose session still runs was expired"
    );
    let untouched = repo.execution_by_id(idle.id).await?.ok_or("gone")?;
    assert_eq!(untouched.status, ExecutionStatus::Initiated);
    assert_eq!(
        repo.part(front.credential_id, Classifier::Front).await?,
        Some(front.clone())
    );
    assert_eq!(repo.pending_blob_deletions().await?, Vec::<String>::new());

    assert!(
        repo.expire_execution(
            idle.id,
            ExecutionStatus::SessionExpired,
            session_end,
            std::slice::from_ref(&prefix),
            Some(&report),
        )
        .await?
    );
    let expired = repo.execution_by_id(idle.id).await?.ok_or("gone")?;
    assert_eq!(
        (expired.status, expired.completed_at, expired.started_at),
        (
            ExecutionStatus::SessionExpired,
            Some(session_end),
            Some(at(10 * MINUTE))
        )
    );
    assert_eq!(
        repo.part(front.credential_id, Classifier::Front).await?,
        None
    );
    assert_eq!(repo.pending_blob_deletions().await?, vec![prefix.clone()]);
    let callbacks = repo.callbacks_of(tenant, idle.id).await?;
    assert_eq!(
        callbacks.iter().map(|r| &r.callback).collect::<Vec<_>>(),
        vec![&report]
    );

    assert!(
        !repo
            .expire_execution(
                idle.id,
                ExecutionStatus::SessionExpired,
                at(HOUR),
                &[],
                Some(&report),
            )
            .await?,
        "an execution expired twice"
    );
    assert_eq!(repo.callbacks_of(tenant, idle.id).await?.len(), 1);

    let late = part(credential_id(1), Classifier::Back, at(HOUR));
    let put = repo
        .put_part(&late, false, &touch(idle.id, at(HOUR)))
        .await?;
    assert!(matches!(put, PutOutcome::ExecutionClosed), "{put:?}");
    let deleted = repo
        .delete_parts(credential_id(1), None, &touch(idle.id, at(HOUR)))
        .await?;
    assert!(
        matches!(deleted, DeleteOutcome::ExecutionClosed),
        "{deleted:?}"
    );
    assert!(finalize(repo, idle.id, job_id(1), at(HOUR)).await.is_err());
    let still = repo.execution_by_id(idle.id).await?.ok_or("gone")?;
    assert_eq!(
        (still.status, still.session_expires_at),
        (ExecutionStatus::SessionExpired, Some(session_end)),
        "a refused upload touched the expired session"
    );
    assert_eq!(repo.due_expiries(at(DAY), 100).await?.len(), 0);
    Ok(())
}
