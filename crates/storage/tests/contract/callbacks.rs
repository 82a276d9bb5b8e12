//! The callback outbox under leases. A tenant relies on each callback being delivered at most
//! once after a success, retried at the time the schedule says after a failure, and on seeing
//! every attempt; a deliverer that dies must not record an attempt over the one that took over.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;
use verifyd_domain::model::{Category, ExecutionStatus, WorkflowExecution};
use verifyd_domain::repository::{
    CallbackAttempt, CallbackRecord, CallbackState, ClaimedCallback, NewCallback, Repository,
};

use super::fixtures::{
    account_id, add_tenant, at, callback, callback_id, credential_id, execution_id, finalize,
    job_id, just_before, lease, process, Error, Initiation, Outcome, DAY, HOUR, MINUTE,
};
use super::jobs::{CLAIMERS, DRAINED};

/// A processed execution whose callback was queued at one minute.
async fn processed_with_callback(
    repo: &dyn Repository,
) -> Result<(WorkflowExecution, NewCallback), Error> {
    let tenant = add_tenant(repo, 1).await?;
    let execution = Initiation::new(tenant, account_id(1), execution_id(1))?
        .credential(credential_id(1), Category::Id)
        .store(repo)
        .await?;
    finalize(repo, execution.id, job_id(1), at(MINUTE)).await?;
    let queued = callback(
        callback_id(1),
        &execution,
        ExecutionStatus::Processed,
        at(MINUTE),
    );
    process(
        repo,
        execution.id,
        lease(100),
        at(MINUTE),
        Some(&queued),
        &[],
    )
    .await?;
    Ok((execution, queued))
}

fn attempt(seconds: i64, status_code: Option<u16>, error: Option<&str>) -> CallbackAttempt {
    CallbackAttempt {
        attempted_at: at(seconds),
        status_code,
        error: error.map(str::to_owned),
        duration_ms: 120,
    }
}

/// One deliverer at a time holds a callback; a failed attempt brings it back at its retry time;
/// a deliverer whose lease ran out and was taken over cannot record its attempt; once delivered
/// the callback is never handed out again, and every attempt recorded is listed in order.
pub async fn a_callback_is_leased_retried_and_delivered_once(repo: &dyn Repository) -> Outcome {
    let (execution, queued) = processed_with_callback(repo).await?;

    assert_eq!(
        repo.claim_callback(just_before(at(MINUTE)), at(2 * MINUTE), lease(1))
            .await?,
        None,
        "a callback is not due before it was queued"
    );
    let first = repo
        .claim_callback(at(MINUTE), at(MINUTE + 30), lease(1))
        .await?;
    assert_eq!(
        first,
        Some(ClaimedCallback {
            callback: queued.clone(),
            attempts: 0,
            lease_token: lease(1),
        })
    );
    let first = first.ok_or("no claim")?;
    assert_eq!(
        repo.claim_callback(just_before(at(MINUTE + 30)), at(2 * MINUTE), lease(2))
            .await?,
        None,
        "a live lease keeps the callback from every other deliverer"
    );

    let failed = attempt(MINUTE + 1, Some(503), Some("Service Unavailable"));
    repo.finish_callback_attempt(&first, &failed, CallbackState::RetryAt(at(5 * MINUTE)))
        .await?;
    assert_eq!(
        repo.callbacks_of(execution.tenant_id, execution.id).await?,
        vec![CallbackRecord {
            callback: queued.clone(),
            delivered_at: None,
            gave_up_at: None,
            next_attempt_at: Some(at(5 * MINUTE)),
            attempts: vec![failed.clone()],
        }]
    );
    assert_eq!(
        repo.claim_callback(just_before(at(5 * MINUTE)), at(6 * MINUTE), lease(2))
            .await?,
        None,
        "a failed callback waits for its retry time"
    );

    let second = repo
        .claim_callback(at(5 * MINUTE), at(5 * MINUTE + 30), lease(2))
        .await?
        .ok_or("the callback did not come back at its retry time")?;
    assert_eq!((second.attempts, second.lease_token), (1, lease(2)));
    // The second deliverer hangs; its lease runs out and a third takes over.
    let third = repo
        .claim_callback(at(5 * MINUTE + 30), at(6 * MINUTE), lease(3))
        .await?
        .ok_or("the callback was not taken over after its lease ran out")?;
    assert_eq!((third.attempts, third.lease_token), (1, lease(3)));

    let stale = attempt(5 * MINUTE + 40, Some(200), None);
    repo.finish_callback_attempt(&second, &stale, CallbackState::Delivered)
        .await?;
    let records = repo.callbacks_of(execution.tenant_id, execution.id).await?;
    assert_eq!(
        records
            .iter()
            .map(|r| (r.delivered_at, r.attempts.len()))
            .collect::<Vec<_>>(),
        vec![(None, 1)],
        "an attempt under a lease taken over was recorded"
    );

    let delivered = attempt(5 * MINUTE + 45, Some(200), None);
    repo.finish_callback_attempt(&third, &delivered, CallbackState::Delivered)
        .await?;
    assert_eq!(
        repo.callbacks_of(execution.tenant_id, execution.id).await?,
        vec![CallbackRecord {
            callback: queued,
            delivered_at: Some(at(5 * MINUTE + 45)),
            gave_up_at: None,
            next_attempt_at: None,
            attempts: vec![failed, delivered],
        }]
    );
    assert_eq!(
        repo.claim_callback(at(DAY), at(DAY + MINUTE), lease(4))
            .await?,
        None,
        "a delivered callback was handed out again"
    );
    Ok(())
}

/// A callback given up (its retries exhausted) is not handed out again; its last attempt stays.
pub async fn a_callback_given_up_is_not_retried(repo: &dyn Repository) -> Outcome {
    let (execution, queued) = processed_with_callback(repo).await?;
    let claimed = repo
        .claim_callback(at(MINUTE), at(2 * MINUTE), lease(1))
        .await?
        .ok_or("no callback was due")?;
    let last = attempt(MINUTE + 5, None, Some("connection refused"));
    repo.finish_callback_attempt(&claimed, &last, CallbackState::GaveUp)
        .await?;
    assert_eq!(
        repo.callbacks_of(execution.tenant_id, execution.id).await?,
        vec![CallbackRecord {
            callback: queued,
            delivered_at: None,
            gave_up_at: Some(at(MINUTE + 5)),
            next_attempt_at: None,
            attempts: vec![last],
        }]
    );
    assert_eq!(
        repo.claim_callback(at(DAY), at(DAY + MINUTE), lease(2))
            .await?,
        None
    );
    Ok(())
}

/// Deliverers claiming at once never share a callback: four deliverers drain 200 due callbacks
/// through the trait, every callback is handed out exactly once and none is left, and each
/// deliverer's attempt is recorded under its own lease.
pub async fn concurrent_claims_hand_out_each_callback_once(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    // Executions whose token ran out, each expired with its callback queued at one hour.
    let mut executions = Vec::new();
    for n in 1..=DRAINED {
        let execution = Initiation::new(tenant, account_id(n), execution_id(n))?
            .store(repo)
            .await?;
        let report = callback(
            callback_id(n),
            &execution,
            ExecutionStatus::TokenExpired,
            at(HOUR),
        );
        if !repo
            .expire_execution(
                execution.id,
                ExecutionStatus::TokenExpired,
                at(HOUR),
                &[],
                Some(&report),
            )
            .await?
        {
            return Err(format!("{} was not expired", execution.id).into());
        }
        executions.push(execution);
    }

    let deliverer = |worker: u128| async move {
        let mut claimed = Vec::new();
        while let Some(callback) = repo
            .claim_callback(at(HOUR + MINUTE), at(DAY), lease(worker))
            .await?
        {
            claimed.push(callback);
        }
        Ok::<_, Error>(claimed)
    };
    let drained: Vec<ClaimedCallback> =
        futures::future::try_join_all((1..=CLAIMERS).map(deliverer))
            .await?
            .into_iter()
            .flatten()
            .collect();

    let mut times_claimed: BTreeMap<Uuid, usize> = BTreeMap::new();
    for claimed in &drained {
        *times_claimed.entry(claimed.callback.id).or_default() += 1;
    }
    let twice: Vec<_> = times_claimed.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "{} of {DRAINED} callbacks were handed out more than once: {twice:?}",
        twice.len()
    );
    let expected: BTreeSet<Uuid> = (1..=DRAINED).map(callback_id).collect();
    assert_eq!(
        times_claimed.keys().copied().collect::<BTreeSet<_>>(),
        expected,
        "not every callback was handed out"
    );
    assert!(drained.iter().all(|claimed| claimed.attempts == 0));
    assert_eq!(
        repo.claim_callback(at(2 * HOUR), at(DAY), lease(99))
            .await?,
        None,
        "a callback was left while every lease runs"
    );

    for claimed in &drained {
        repo.finish_callback_attempt(
            claimed,
            &attempt(HOUR + 2 * MINUTE, Some(200), None),
            CallbackState::Delivered,
        )
        .await?;
    }
    for execution in &executions {
        let records = repo.callbacks_of(tenant, execution.id).await?;
        assert_eq!(
            records
                .iter()
                .map(|r| (r.delivered_at, r.attempts.len()))
                .collect::<Vec<_>>(),
            vec![(Some(at(HOUR + 2 * MINUTE)), 1)],
            "the attempt on the callback of {} was not recorded under its deliverer's lease",
            execution.id
        );
    }
    Ok(())
}
