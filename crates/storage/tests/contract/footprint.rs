//! Everything one account can leave in the repository, seeded through the trait the way the
//! domain writes it: a processed execution (ID and FACEMAP credentials with parts, a liveness
//! challenge, a generated facemap, face evidence, a verified document's fingerprint, a queued
//! callback), an INITIATED one with a selfie uploaded, and a finalized one whose job still waits.
//! Deletion and tenancy checks compare what several footprints leave behind.

use uuid::Uuid;
use verifyd_domain::facemap::FaceTemplate;
use verifyd_domain::model::{
    Account, Category, Classifier, Credential, ExecutionCredential, ExecutionStatus, Part,
    WorkflowExecution,
};
use verifyd_domain::repository::{CallbackRecord, LivenessChallenge, NewCallback, Repository};

use super::fixtures::{
    account_id, at, callback, callback_id, challenge, credential_id, document, evidence,
    execution_id, finalize, job_id, lease, part, process, template, upload, Error, Initiation,
    MINUTE,
};

/// The finalized execution's job is due then: later than every seeding claim (at one minute),
/// so seeding another footprint never picks it up.
pub const WAITING_JOB_DUE: i64 = 10 * MINUTE;

pub struct Footprint {
    pub tenant: Uuid,
    pub account: Uuid,
    /// PROCESSED (as initiated; read it back for its current state).
    pub processed: WorkflowExecution,
    /// Still INITIATED, a selfie uploaded.
    pub initiated: WorkflowExecution,
    /// ACQUIRED, its job waiting (due at `WAITING_JOB_DUE`).
    pub acquired: WorkflowExecution,
    /// Every credential with the parts it holds.
    pub credentials: Vec<(Uuid, Vec<Classifier>)>,
    /// The FACEMAP credential, which holds the liveness challenge.
    pub facemap_credential: Uuid,
    pub frames: Vec<u64>,
    pub template: FaceTemplate,
    pub fingerprint: String,
    pub waiting_job: Uuid,
    pub callback: NewCallback,
}

impl Footprint {
    /// Seeds account `n` of `tenant`; every id is derived from `n`, so footprints never collide.
    /// `fingerprint` is the verified document's, so footprints may share a document.
    pub async fn seed(
        repo: &dyn Repository,
        tenant: Uuid,
        n: u128,
        fingerprint: &str,
    ) -> Result<Self, Error> {
        let account = account_id(n);
        let (id_card, facemap, selfie, later_id) = (
            credential_id(n * 10 + 1),
            credential_id(n * 10 + 2),
            credential_id(n * 10 + 3),
            credential_id(n * 10 + 4),
        );

        let processed = Initiation::new(tenant, account, execution_id(n * 10 + 1))?
            .credential(id_card, Category::Id)
            .credential(facemap, Category::Facemap)
            .store(repo)
            .await?;
        for (credential, classifier) in [
            (id_card, Classifier::Front),
            (id_card, Classifier::Back),
            (facemap, Classifier::Liveness(1)),
        ] {
            upload(repo, processed.id, &part(credential, classifier, at(30))).await?;
        }
        repo.put_liveness_challenge(&challenge(&processed, facemap, at(20)))
            .await?;
        finalize(repo, processed.id, job_id(n * 10 + 1), at(MINUTE)).await?;
        let queued = callback(
            callback_id(n * 10 + 1),
            &processed,
            ExecutionStatus::Processed,
            at(MINUTE),
        );
        let number = u16::try_from(n)?;
        // One frame fingerprint with the top bit set: storage must keep all 64 bits.
        let frames = vec![u64::from(number) * 100 + 1, u64::MAX - u64::from(number)];
        // A dyadic fraction per footprint: distinct, and exact through any text round trip.
        let face = template(f32::from(number) / 16.0);
        repo.record_face_evidence(&evidence(
            &processed,
            &frames,
            Some(face.clone()),
            at(MINUTE),
        ))
        .await?;
        repo.add_generated_part(&part(facemap, Classifier::Facemap, at(MINUTE)))
            .await?;
        process(
            repo,
            processed.id,
            lease(n * 10 + 1),
            at(MINUTE),
            Some(&queued),
            &[document(&processed, fingerprint)],
        )
        .await?;

        let initiated = Initiation::new(tenant, account, execution_id(n * 10 + 2))?
            .on_existing_account()
            .created_at(at(2 * MINUTE))
            .credential(selfie, Category::Selfie)
            .store(repo)
            .await?;
        upload(
            repo,
            initiated.id,
            &part(selfie, Classifier::Face, at(3 * MINUTE)),
        )
        .await?;

        let acquired = Initiation::new(tenant, account, execution_id(n * 10 + 3))?
            .on_existing_account()
            .created_at(at(4 * MINUTE))
            .credential(later_id, Category::Id)
            .store(repo)
            .await?;
        upload(
            repo,
            acquired.id,
            &part(later_id, Classifier::Front, at(5 * MINUTE)),
        )
        .await?;
        let waiting = finalize(repo, acquired.id, job_id(n * 10 + 2), at(WAITING_JOB_DUE)).await?;

        Ok(Self {
            tenant,
            account,
            processed,
            initiated,
            acquired,
            credentials: vec![
                (id_card, vec![Classifier::Front, Classifier::Back]),
                (facemap, vec![Classifier::Liveness(1), Classifier::Facemap]),
                (selfie, vec![Classifier::Face]),
                (later_id, vec![Classifier::Front]),
            ],
            facemap_credential: facemap,
            frames,
            template: face,
            fingerprint: fingerprint.to_owned(),
            waiting_job: waiting.id,
            callback: queued,
        })
    }

    pub fn executions(&self) -> [Uuid; 3] {
        [self.processed.id, self.initiated.id, self.acquired.id]
    }

    pub fn credential_ids(&self) -> Vec<Uuid> {
        self.credentials.iter().map(|(id, _)| *id).collect()
    }

    /// How many parts the footprint holds in all.
    pub fn part_count(&self) -> usize {
        self.credentials.iter().map(|(_, parts)| parts.len()).sum()
    }
}

/// What a tenant's caller can read of one footprint, in comparable form: equal snapshots before
/// and after an operation mean the operation left the footprint alone.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub account: Option<Account>,
    pub executions: Vec<WorkflowExecution>,
    pub linked: Vec<Vec<ExecutionCredential>>,
    /// Credential, its execution's status and workflow, and its parts' classifiers (sorted).
    pub on_file: Vec<(Credential, ExecutionStatus, u16, Vec<Classifier>)>,
    pub parts: Vec<Part>,
    pub challenge: Option<LivenessChallenge>,
    pub callbacks: Vec<CallbackRecord>,
}

impl Footprint {
    pub async fn snapshot(&self, repo: &dyn Repository) -> Result<Snapshot, Error> {
        let mut linked = Vec::new();
        for execution in self.executions() {
            linked.push(repo.execution_credentials(execution).await?);
        }
        let mut on_file: Vec<_> = repo
            .account_credentials(self.tenant, self.account)
            .await?
            .into_iter()
            .map(|c| {
                let mut classifiers = c.classifiers;
                classifiers.sort();
                (
                    c.credential,
                    c.execution_status,
                    c.definition_key.get(),
                    classifiers,
                )
            })
            .collect();
        on_file.sort_by_key(|(credential, ..)| credential.id);
        let mut parts = repo.parts(&self.credential_ids()).await?;
        parts.sort_by_key(|part| (part.credential_id, part.classifier));
        Ok(Snapshot {
            account: repo.account(self.tenant, self.account).await?,
            executions: repo.executions_of(self.tenant, self.account).await?,
            linked,
            on_file,
            parts,
            challenge: repo.liveness_challenge(self.facemap_credential).await?,
            callbacks: repo.callbacks_of(self.tenant, self.processed.id).await?,
        })
    }
}
