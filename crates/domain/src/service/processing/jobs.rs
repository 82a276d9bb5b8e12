//! Processing: a worker leases a due job, runs the workflow's capabilities, and records the
//! outcome, the status change and the callback in one transaction. A worker that dies loses its
//! lease when it runs out, and another worker takes the job; a late completion by the dead
//! worker is refused, so no job completes twice.

use chrono::Duration;

use super::super::Verifyd;
use super::{PipelineOutcome, Step};
use crate::analysers::Analysers;
use crate::error::DomainError;
use crate::model::Label;
use crate::model::{outcome_document, CapabilityResult, ExecutionStatus, OverallDecision};
use crate::random::new_id;
use crate::repository::ClaimedJob;
use crate::rules::workflow_definition::WorkflowKey;

/// After this many attempts a job stops being retried: the execution is processed as
/// NOT_EXECUTED / TECHNICAL_ERROR and the customer is called back, instead of waiting forever.
pub const MAX_ATTEMPTS: u32 = 8;

/// What running one job showed, for the server's metrics. It is filled in as the job goes, so
/// that a job that fails or runs out of time still names its workflow.
#[derive(Debug, Default)]
pub struct JobReport {
    /// The execution's workflow, once the execution was read.
    pub workflow: Option<WorkflowKey>,
    /// The wall time of each step that ran, once processing finished.
    pub steps: Vec<(Step, std::time::Duration)>,
    /// The capabilities' results and the overall decision, once this worker completed the job
    /// (so a job completed twice, by a worker whose lease was taken over, counts once).
    pub decisions: Option<(Vec<CapabilityResult>, OverallDecision)>,
}

impl Verifyd {
    /// Leases the next due job for `lease`, if any.
    pub async fn claim_job(&self, lease: Duration) -> Result<Option<ClaimedJob>, DomainError> {
        let now = self.clock.now();
        let token = new_id(self.random.as_ref());
        Ok(self.repository.claim_job(now, now + lease, token).await?)
    }

    /// Returns when a job may have become due, or after `at_most`: an idle worker's wait.
    pub async fn wait_for_jobs(&self, at_most: std::time::Duration) -> Result<(), DomainError> {
        Ok(self.repository.wait_for_jobs(at_most).await?)
    }

    /// Runs a claimed job to completion. True when this worker completed it; false when the job
    /// was no longer this worker's to complete.
    pub async fn run_job(
        &self,
        analysers: &Analysers,
        job: &ClaimedJob,
    ) -> Result<bool, DomainError> {
        self.run_job_reporting(analysers, job, &mut JobReport::default())
            .await
    }

    /// [`Verifyd::run_job`], telling `report` what it found on the way.
    pub async fn run_job_reporting(
        &self,
        analysers: &Analysers,
        job: &ClaimedJob,
        report: &mut JobReport,
    ) -> Result<bool, DomainError> {
        let Some(execution) = self.repository.execution_by_id(job.execution_id).await? else {
            self.repository.discard_job(job).await?;
            return Ok(false);
        };
        if execution.status != ExecutionStatus::Acquired {
            self.repository.discard_job(job).await?;
            return Ok(false);
        }
        report.workflow = Some(execution.definition_key);
        let PipelineOutcome {
            results,
            verified_documents,
            steps,
        } = super::run(self, analysers, &execution).await?;
        report.steps = steps;
        let overall = OverallDecision::from_results(&results);
        let outcome = outcome_document(&results, &overall);
        let now = self.clock.now();
        let callback = self
            .callback_for(&execution, ExecutionStatus::Processed, now)
            .await?;
        let completed = self
            .repository
            .complete_processing(job, &outcome, now, callback.as_ref(), &verified_documents)
            .await?;
        if completed {
            report.decisions = Some((results, overall));
        }
        Ok(completed)
    }

    /// Gives a job back after a failure, with exponential backoff (2^attempts seconds), or,
    /// after `MAX_ATTEMPTS`, concludes the execution as not executed.
    pub async fn retry_job(&self, job: &ClaimedJob, error: &str) -> Result<(), DomainError> {
        if job.attempts >= MAX_ATTEMPTS {
            return self.give_up_job(job).await;
        }
        let delay = Duration::seconds(1i64 << job.attempts.min(12));
        let run_at = self.clock.now() + delay;
        Ok(self.repository.reschedule_job(job, run_at, error).await?)
    }

    async fn give_up_job(&self, job: &ClaimedJob) -> Result<(), DomainError> {
        let Some(execution) = self.repository.execution_by_id(job.execution_id).await? else {
            return Ok(self.repository.discard_job(job).await?);
        };
        let overall = OverallDecision {
            decision: crate::model::DecisionType::NotExecuted,
            label: Label::TechnicalError,
            risk_score: -1,
        };
        let outcome = outcome_document(&[], &overall);
        let now = self.clock.now();
        let callback = self
            .callback_for(&execution, ExecutionStatus::Processed, now)
            .await?;
        tracing::error!(job = %job.id, execution = %job.execution_id, "processing gave up after {MAX_ATTEMPTS} attempts");
        self.repository
            .complete_processing(job, &outcome, now, callback.as_ref(), &[])
            .await?;
        Ok(())
    }
}
