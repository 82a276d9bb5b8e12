//! Processing jobs under leases. Workers in several processes share one queue: a job must be held
//! by one worker at a time, pass to another when its worker dies (its lease runs out), and
//! complete once, so that an execution is never processed (and called back) twice.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::time::{Duration, Instant};

use uuid::Uuid;
use verifyd_domain::model::{Category, ExecutionStatus};
use verifyd_domain::repository::{ClaimedJob, Repository};

use super::fixtures::{
    account_id, add_tenant, at, callback, callback_id, credential_id, document, execution_id,
    finalize, job_id, just_before, lease, outcome, Error, Initiation, Outcome, DAY, HOUR, MINUTE,
};

/// One worker leases a finalized execution's job; a second finds nothing while the lease runs;
/// once it has run out another worker takes the job over; the first worker's late completion,
/// rescheduling and discarding are all refused; the job completes exactly once.
pub async fn a_job_is_leased_taken_over_and_completed_once(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let execution = Initiation::new(tenant, account_id(1), execution_id(1))?
        .credential(credential_id(1), Category::Id)
        .store(repo)
        .await?;
    assert_eq!(repo.claim_job(at(DAY), at(DAY), lease(9)).await?, None);

    let job = finalize(repo, execution.id, job_id(1), at(MINUTE)).await?;
    let acquired = repo.execution_by_id(execution.id).await?.ok_or("gone")?;
    assert_eq!(acquired.status, ExecutionStatus::Acquired);
    assert_eq!(acquired.acquired_at, Some(at(MINUTE)));

    assert_eq!(
        repo.claim_job(just_before(at(MINUTE)), at(2 * MINUTE), lease(1))
            .await?,
        None,
        "a job is not handed out before it is due"
    );
    let first = repo.claim_job(at(MINUTE), at(2 * MINUTE), lease(1)).await?;
    assert_eq!(
        first,
        Some(ClaimedJob {
            id: job.id,
            kind: "process".to_owned(),
            execution_id: execution.id,
            attempts: 1,
            lease_token: lease(1),
        })
    );
    let first = first.ok_or("no claim")?;
    assert_eq!(
        repo.claim_job(just_before(at(2 * MINUTE)), at(3 * MINUTE), lease(2))
            .await?,
        None,
        "a live lease keeps the job from every other worker"
    );

    // The first worker dies; its lease runs out at two minutes.
    let second = repo
        .claim_job(at(2 * MINUTE), at(3 * MINUTE), lease(2))
        .await?
        .ok_or("the job was not taken over after its lease ran out")?;
    assert_eq!(
        (second.id, second.attempts, second.lease_token),
        (job.id, 2, lease(2))
    );

    let report = callback(
        callback_id(1),
        &execution,
        ExecutionStatus::Processed,
        at(2 * MINUTE),
    );
    let late = repo
        .complete_processing(&first, &outcome(), at(2 * MINUTE), Some(&report), &[])
        .await?;
    assert!(!late, "a completion under a lease taken over is refused");
    repo.reschedule_job(&first, at(DAY), "stale").await?;
    repo.discard_job(&first).await?;
    let still = repo.execution_by_id(execution.id).await?.ok_or("gone")?;
    assert_eq!(still.status, ExecutionStatus::Acquired);
    assert_eq!(still.outcome, None);
    assert_eq!(repo.callbacks_of(tenant, execution.id).await?, vec![]);
    assert_eq!(
        repo.claim_job(just_before(at(3 * MINUTE)), at(4 * MINUTE), lease(3))
            .await?,
        None,
        "the stale worker's reschedule or discard released the new worker's lease"
    );

    let done = repo
        .complete_processing(&second, &outcome(), at(2 * MINUTE + 30), Some(&report), &[])
        .await?;
    assert!(done, "the worker holding the lease completes the job");
    let processed = repo.execution_by_id(execution.id).await?.ok_or("gone")?;
    assert_eq!(processed.status, ExecutionStatus::Processed);
    assert_eq!(processed.outcome, Some(outcome()));
    assert_eq!(processed.completed_at, Some(at(2 * MINUTE + 30)));
    let callbacks = repo.callbacks_of(tenant, execution.id).await?;
    assert_eq!(
        callbacks
            .iter()
            .map(|record| &record.callback)
            .collect::<Vec<_>>(),
        vec![&report]
    );

    assert!(
        !repo
            .complete_processing(&second, &outcome(), at(3 * MINUTE), Some(&report), &[])
            .await?,
        "a job completes once"
    );
    assert_eq!(repo.callbacks_of(tenant, execution.id).await?.len(), 1);
    assert_eq!(repo.claim_job(at(DAY), at(DAY), lease(4)).await?, None);
    assert_eq!(repo.overdue_jobs(at(DAY)).await?, 0);
    Ok(())
}

/// An execution is finalized once: a second finalize is refused and queues no second job.
pub async fn finalize_queues_one_job(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let execution = Initiation::new(tenant, account_id(1), execution_id(1))?
        .store(repo)
        .await?;
    finalize(repo, execution.id, job_id(1), at(MINUTE)).await?;
    let again = finalize(repo, execution.id, job_id(2), at(2 * MINUTE)).await;
    assert!(again.is_err(), "an ACQUIRED execution was finalized again");
    let acquired = repo.execution_by_id(execution.id).await?.ok_or("gone")?;
    assert_eq!(acquired.acquired_at, Some(at(MINUTE)));
    assert_eq!(repo.overdue_jobs(at(DAY)).await?, 1);
    let claimed = repo.claim_job(at(DAY), at(DAY + MINUTE), lease(1)).await?;
    assert_eq!(claimed.map(|job| job.id), Some(job_id(1)));
    assert_eq!(
        repo.claim_job(at(DAY), at(DAY + MINUTE), lease(2)).await?,
        None
    );
    Ok(())
}

/// Jobs are handed out oldest-due first, and only due ones; the backlog counts the waiting ones.
pub async fn jobs_are_claimed_oldest_due_first(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    for n in 1..=3 {
        Initiation::new(tenant, account_id(n), execution_id(n))?
            .store(repo)
            .await?;
    }
    // Finalized in an order that differs from the order they become due.
    finalize(repo, execution_id(1), job_id(1), at(3 * MINUTE)).await?;
    finalize(repo, execution_id(2), job_id(2), at(MINUTE)).await?;
    finalize(repo, execution_id(3), job_id(3), at(2 * MINUTE)).await?;

    assert_eq!(repo.overdue_jobs(at(MINUTE)).await?, 0);
    assert_eq!(repo.overdue_jobs(at(2 * MINUTE + 1)).await?, 2);

    let lease_until = at(HOUR);
    let order = [
        repo.claim_job(at(3 * MINUTE), lease_until, lease(1))
            .await?,
        repo.claim_job(at(3 * MINUTE), lease_until, lease(2))
            .await?,
        repo.claim_job(at(3 * MINUTE), lease_until, lease(3))
            .await?,
    ]
    .map(|claimed| claimed.map(|job| job.execution_id));
    assert_eq!(
        order,
        [
            Some(execution_id(2)),
            Some(execution_id(3)),
            Some(execution_id(1))
        ]
    );
    Ok(())
}

/// A job given back (after a failure) is not due before its new time, keeps its attempts and
/// its lease is free for any worker then; only the holder of the lease may discard it.
pub async fn a_rescheduled_job_waits_for_its_time(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    Initiation::new(tenant, account_id(1), execution_id(1))?
        .store(repo)
        .await?;
    finalize(repo, execution_id(1), job_id(1), at(0)).await?;

    let first = repo
        .claim_job(at(0), at(MINUTE), lease(1))
        .await?
        .ok_or("no job")?;
    repo.reschedule_job(&first, at(5 * MINUTE), "engine failed")
        .await?;
    assert_eq!(
        repo.claim_job(just_before(at(5 * MINUTE)), at(6 * MINUTE), lease(2))
            .await?,
        None,
        "a rescheduled job is not due before its new time (nor held by the old lease)"
    );
    let second = repo
        .claim_job(at(5 * MINUTE), at(6 * MINUTE), lease(2))
        .await?
        .ok_or("the rescheduled job did not come back")?;
    assert_eq!((second.id, second.attempts), (job_id(1), 2));

    repo.discard_job(&first).await?;
    assert_eq!(
        repo.overdue_jobs(at(DAY)).await?,
        1,
        "a stale lease discarded the job"
    );
    repo.discard_job(&second).await?;
    assert_eq!(repo.overdue_jobs(at(DAY)).await?, 0);
    assert_eq!(
        repo.claim_job(at(DAY), at(DAY + MINUTE), lease(3)).await?,
        None
    );
    Ok(())
}

/// A job whose execution was deleted while a worker held it completes nothing: no status, no
/// callback, no document fingerprint outlives the deletion.
pub async fn a_deleted_executions_job_completes_nothing(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    let execution = Initiation::new(tenant, account_id(1), execution_id(1))?
        .store(repo)
        .await?;
    finalize(repo, execution.id, job_id(1), at(0)).await?;
    let claimed = repo
        .claim_job(at(0), at(MINUTE), lease(1))
        .await?
        .ok_or("no job")?;
    assert!(
        repo.delete_execution(tenant, execution.account_id, execution.id, &[], at(10))
            .await?
    );

    let report = callback(
        callback_id(1),
        &execution,
        ExecutionStatus::Processed,
        at(20),
    );
    let fingerprint = document(&execution, "fp-deleted");
    let completed = repo
        .complete_processing(&claimed, &outcome(), at(20), Some(&report), &[fingerprint])
        .await?;
    assert!(!completed);
    assert_eq!(repo.execution_by_id(execution.id).await?, None);
    assert_eq!(repo.callbacks_of(tenant, execution.id).await?, vec![]);
    assert_eq!(
        repo.accounts_with_document(tenant, "fp-deleted", account_id(99))
            .await?,
        Vec::<uuid::Uuid>::new()
    );
    assert_eq!(
        repo.claim_callback(at(DAY), at(DAY + MINUTE), lease(2))
            .await?,
        None
    );
    assert_eq!(repo.overdue_jobs(at(DAY)).await?, 0);
    Ok(())
}

/// How many due jobs (and callbacks) the concurrent claimers drain, and how many claim at once.
pub const DRAINED: u128 = 200;
pub const CLAIMERS: u128 = 4;

/// Workers claiming at once never share a job: four claimers drain 200 due jobs through the
/// trait, every job is handed out exactly once (its first attempt) and none is left, and each
/// claimer's lease is its own (its completion is accepted).
pub async fn concurrent_claims_hand_out_each_job_once(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    for n in 1..=DRAINED {
        Initiation::new(tenant, account_id(n), execution_id(n))?
            .store(repo)
            .await?;
        finalize(repo, execution_id(n), job_id(n), at(MINUTE)).await?;
    }

    let claimer = |worker: u128| async move {
        let mut claimed = Vec::new();
        while let Some(job) = repo
            .claim_job(at(2 * MINUTE), at(HOUR), lease(worker))
            .await?
        {
            claimed.push(job);
        }
        Ok::<_, Error>(claimed)
    };
    let drained: Vec<ClaimedJob> = futures::future::try_join_all((1..=CLAIMERS).map(claimer))
        .await?
        .into_iter()
        .flatten()
        .collect();

    let mut times_claimed: BTreeMap<Uuid, usize> = BTreeMap::new();
    for job in &drained {
        *times_claimed.entry(job.id).or_default() += 1;
    }
    let twice: Vec<_> = times_claimed.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "{} of {DRAINED} jobs were handed out more than once: {twice:?}",
        twice.len()
    );
    let expected: BTreeSet<Uuid> = (1..=DRAINED).map(job_id).collect();
    assert_eq!(
        times_claimed.keys().copied().collect::<BTreeSet<_>>(),
        expected,
        "not every job was handed out"
    );
    assert!(drained.iter().all(|job| job.attempts == 1));
    assert_eq!(
        repo.claim_job(at(2 * MINUTE), at(HOUR), lease(99)).await?,
        None,
        "a job was left while every lease runs"
    );

    for job in &drained {
        assert!(
            repo.complete_processing(job, &outcome(), at(3 * MINUTE), None, &[])
                .await?,
            "the lease of {} was not its claimer's",
            job.id
        );
    }
    assert_eq!(repo.overdue_jobs(at(DAY)).await?, 0);
    Ok(())
}

/// Longer than any wake may take; a wake that comes only with it has not happened.
const AT_MOST: Duration = Duration::from_secs(30);
/// What the checks allow a wake to take: generous, this is no benchmark.
const WOKEN_WITHIN: Duration = Duration::from_secs(2);

/// How long after `trigger` starts a worker already waiting (`wait_for_jobs(AT_MOST)`) wakes.
/// A wake before the trigger is allowed (a return promises nothing) and the worker waits again.
async fn wake_after<T>(
    repo: &dyn Repository,
    trigger: impl Future<Output = Result<T, Error>>,
) -> Result<Duration, Error> {
    let origin = Instant::now();
    let started: Cell<Option<Duration>> = Cell::new(None);
    let worker = async {
        loop {
            repo.wait_for_jobs(AT_MOST).await?;
            if let Some(started) = started.get() {
                return Ok::<_, Error>(origin.elapsed().saturating_sub(started));
            }
        }
    };
    let triggering = async {
        // The worker is waiting by then.
        tokio::time::sleep(Duration::from_millis(200)).await;
        started.set(Some(origin.elapsed()));
        trigger.await
    };
    let (delay, _) = futures::future::try_join(worker, triggering).await?;
    Ok(delay)
}

/// An idle worker waits while nothing happens, and is woken (well before its `at_most`) when a
/// finalize queues a job and when a failed job is given back.
pub async fn a_waiting_worker_is_woken_when_a_job_is_queued(repo: &dyn Repository) -> Outcome {
    let tenant = add_tenant(repo, 1).await?;
    Initiation::new(tenant, account_id(1), execution_id(1))?
        .store(repo)
        .await?;

    let quiet = Duration::from_millis(300);
    let waited = Instant::now();
    repo.wait_for_jobs(quiet).await?;
    assert!(
        waited.elapsed() >= quiet - Duration::from_millis(10),
        "with nothing due, wait_for_jobs returned after {:?}",
        waited.elapsed()
    );

    let delay = wake_after(repo, finalize(repo, execution_id(1), job_id(1), at(0))).await?;
    assert!(
        delay < WOKEN_WITHIN,
        "a finalize woke the waiting worker only after {delay:?}"
    );

    let claimed = repo
        .claim_job(at(0), at(MINUTE), lease(1))
        .await?
        .ok_or("the finalized job was not due")?;
    let give_back = async {
        repo.reschedule_job(&claimed, at(0), "engine failed")
            .await?;
        Ok::<_, Error>(())
    };
    let delay = wake_after(repo, give_back).await?;
    assert!(
        delay < WOKEN_WITHIN,
        "a job given back woke the waiting worker only after {delay:?}"
    );
    Ok(())
}
