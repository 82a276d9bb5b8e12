//! The workflow definitions of the specification (reference/workflow_descriptions.md): which
//! credentials each key acquires, through which channels, and what must already be on file.

use std::fmt;

use crate::model::{Category, Channel};

/// A workflow definition key the specification defines and verifyd runs. It is made only from
/// a key of [`DEFINITIONS`], so its definition is always there: an unknown key is refused where
/// it enters (a request, a stored row), never mapped to another workflow.
#[derive(Debug, Clone, Copy)]
pub struct WorkflowKey(&'static WorkflowDefinition);

impl WorkflowKey {
    pub fn new(key: u16) -> Option<Self> {
        DEFINITIONS
            .iter()
            .find(|definition| definition.key == key)
            .map(Self)
    }

    /// The workflow of the netverify v4 `workflowId` whose hundreds are `hundreds` (100: ID
    /// verification, 200: ID and identity verification).
    pub fn netverify(hundreds: u16) -> Option<Self> {
        DEFINITIONS
            .iter()
            .find(|definition| definition.netverify_workflow == Some(hundreds))
            .map(Self)
    }

    pub fn get(self) -> u16 {
        self.0.key
    }

    pub fn definition(self) -> &'static WorkflowDefinition {
        self.0
    }
}

impl PartialEq for WorkflowKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.key == other.0.key
    }
}

impl Eq for WorkflowKey {}

impl std::hash::Hash for WorkflowKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.key.hash(state);
    }
}

/// The keys whose definition `which` picks, as an error message lists them: "2, 3, 5, ...".
pub fn keys(which: impl Fn(&WorkflowDefinition) -> bool) -> String {
    DEFINITIONS
        .iter()
        .filter(|definition| which(definition))
        .map(|definition| definition.key.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for WorkflowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.key)
    }
}

/// One credential a workflow acquires by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialTemplate {
    pub category: Category,
    pub channels: &'static [Channel],
}

/// What must already be on the account before the workflow may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prerequisite {
    None,
    /// Workflow 5: the request names an ID credential of this account that an earlier execution
    /// acquired and finalized.
    IdOnFile,
    /// Workflow 9: a facemap that an earlier execution produced (a passed liveness).
    FacemapOnFile,
}

/// What a request's `workflowDefinition.credentials` may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialRequests {
    /// Customise the workflow's own credentials (countries, types) and add DOCUMENTs.
    Customise,
    /// As `Customise`, and the ID must name, by its id, an ID credential already on file.
    NameIdOnFile,
    /// Choose the two images to compare: ID and SELFIE, two IDs, or two SELFIEs.
    ChooseTwoImages,
}

/// What processing runs for a workflow besides usability, which every credential gets: the
/// one place that says it (`service/processing/plan.rs` makes the plan from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    /// The document engine on each ID: image checks, extraction, data checks.
    pub documents: bool,
    /// Watchlist screening of the person extracted from the ID: always, or when the request
    /// asks for it.
    pub screening: Screening,
    /// Liveness of the selfie or capture; a passed one leaves a facemap for later workflows.
    pub liveness: bool,
    /// The ID's portrait against the selfie.
    pub similarity: bool,
    /// The selfie against the facemap on file.
    pub authentication: bool,
}

/// When a workflow screens the person its ID names against watchlists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screening {
    Never,
    /// When the request asks: the account request's `capabilities.watchlistScreening` (the
    /// guide's example adds it to workflow 2), or netverify's
    /// `presets[].additionalChecks.watchlistScreening`.
    OnRequest,
    /// Workflow 32: screening is what it is for.
    Always,
}

impl Screening {
    /// Whether an execution screens, given whether its request asked to.
    pub fn runs(self, requested: bool) -> bool {
        match self {
            Self::Never => false,
            Self::OnRequest => requested,
            Self::Always => true,
        }
    }
}

const fn steps(documents: bool, screening: Screening, liveness: bool, similarity: bool) -> Steps {
    Steps {
        documents,
        screening,
        liveness,
        similarity,
        authentication: false,
    }
}

const AUTHENTICATION: Steps = Steps {
    documents: false,
    screening: Screening::Never,
    liveness: false,
    similarity: false,
    authentication: true,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowDefinition {
    pub key: u16,
    pub name: &'static str,
    pub credentials: &'static [CredentialTemplate],
    pub prerequisite: Prerequisite,
    /// Workflows 5, 9 and 16 run on an account that already exists (account update only).
    pub needs_existing_account: bool,
    pub requires_user_reference: bool,
    /// Collects biometric data: the web client asks for consent first.
    pub biometric: bool,
    pub steps: Steps,
    pub credential_requests: CredentialRequests,
    /// The hundreds of the netverify v4 `workflowId` that runs this workflow, if one does.
    pub netverify_workflow: Option<u16>,
}

const ALL: &[Channel] = &[Channel::Web, Channel::Api, Channel::Sdk];
const WEB_SDK_API: &[Channel] = &[Channel::Web, Channel::Sdk, Channel::Api];
const WEB_SDK: &[Channel] = &[Channel::Web, Channel::Sdk];
const API: &[Channel] = &[Channel::Api];
const NONE: &[Channel] = &[];

const fn template(category: Category, channels: &'static [Channel]) -> CredentialTemplate {
    CredentialTemplate { category, channels }
}

const ID_AND_IDENTITY: &[CredentialTemplate] = &[
    template(Category::Id, WEB_SDK_API),
    template(Category::Facemap, WEB_SDK),
    template(Category::Selfie, WEB_SDK_API),
];

pub static DEFINITIONS: [WorkflowDefinition; 8] = [
    WorkflowDefinition {
        key: 2,
        name: "ID Verification",
        credentials: &[template(Category::Id, ALL)],
        prerequisite: Prerequisite::None,
        needs_existing_account: false,
        requires_user_reference: false,
        biometric: false,
        steps: steps(true, Screening::OnRequest, false, false),
        credential_requests: CredentialRequests::Customise,
        netverify_workflow: Some(100),
    },
    WorkflowDefinition {
        key: 3,
        name: "ID and Identity Verification",
        credentials: ID_AND_IDENTITY,
        prerequisite: Prerequisite::None,
        needs_existing_account: false,
        requires_user_reference: false,
        biometric: true,
        steps: steps(true, Screening::OnRequest, true, true),
        credential_requests: CredentialRequests::Customise,
        netverify_workflow: Some(200),
    },
    WorkflowDefinition {
        key: 5,
        name: "Similarity to Existing ID",
        credentials: &[
            template(Category::Id, NONE),
            template(Category::Selfie, API),
        ],
        prerequisite: Prerequisite::IdOnFile,
        needs_existing_account: true,
        requires_user_reference: false,
        biometric: true,
        steps: steps(false, Screening::Never, false, true),
        credential_requests: CredentialRequests::NameIdOnFile,
        netverify_workflow: None,
    },
    WorkflowDefinition {
        key: 6,
        name: "Standalone Liveness",
        credentials: &[
            template(Category::Facemap, WEB_SDK),
            template(Category::Selfie, WEB_SDK_API),
        ],
        prerequisite: Prerequisite::None,
        needs_existing_account: false,
        requires_user_reference: false,
        biometric: true,
        steps: steps(false, Screening::Never, true, false),
        credential_requests: CredentialRequests::Customise,
        netverify_workflow: None,
    },
    WorkflowDefinition {
        key: 9,
        name: "Authentication",
        credentials: &[
            template(Category::Facemap, WEB_SDK),
            template(Category::Selfie, WEB_SDK),
        ],
        prerequisite: Prerequisite::FacemapOnFile,
        needs_existing_account: true,
        requires_user_reference: false,
        biometric: true,
        steps: AUTHENTICATION,
        credential_requests: CredentialRequests::Customise,
        netverify_workflow: None,
    },
    WorkflowDefinition {
        key: 16,
        name: "Authentication on Premise",
        credentials: &[
            template(Category::Facemap, API),
            template(Category::Facemap, WEB_SDK),
            template(Category::Selfie, WEB_SDK),
        ],
        prerequisite: Prerequisite::None,
        needs_existing_account: true,
        requires_user_reference: false,
        biometric: true,
        steps: AUTHENTICATION,
        credential_requests: CredentialRequests::Customise,
        netverify_workflow: None,
    },
    WorkflowDefinition {
        key: 20,
        name: "Similarity of Two Images",
        credentials: &[template(Category::Id, API), template(Category::Selfie, API)],
        prerequisite: Prerequisite::None,
        needs_existing_account: false,
        requires_user_reference: false,
        biometric: true,
        steps: steps(false, Screening::Never, false, true),
        credential_requests: CredentialRequests::ChooseTwoImages,
        netverify_workflow: None,
    },
    WorkflowDefinition {
        key: 32,
        name: "ID Verification, Identity Verification, Screening",
        credentials: ID_AND_IDENTITY,
        prerequisite: Prerequisite::None,
        needs_existing_account: false,
        requires_user_reference: true,
        biometric: true,
        steps: steps(true, Screening::Always, true, true),
        credential_requests: CredentialRequests::Customise,
        netverify_workflow: None,
    },
];

/// The workflow `verifyd inspect` runs: ID verification for an ID alone, ID and identity
/// verification with a selfie (the netverify v4 workflows 100 and 200 run the same two).
pub fn for_inspection(selfie: bool) -> Option<WorkflowKey> {
    DEFINITIONS
        .iter()
        .find(|definition| {
            let steps = definition.steps;
            definition.prerequisite == Prerequisite::None
                && definition.netverify_workflow.is_some()
                && steps.documents
                && steps.screening != Screening::Always
                && steps.similarity == selfie
                && steps.liveness == selfie
        })
        .map(WorkflowKey)
}

/// Channels of an extra DOCUMENT credential (a PDF such as a proof of address), which any
/// workflow may carry beside its own credentials.
pub const DOCUMENT_CHANNELS: &[Channel] = API;

/// Channels of each credential in workflow 20 when the request picks its two categories.
pub const SIMILARITY_CHANNELS: &[Channel] = API;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_finds_its_own_definition_and_no_other_key_is_made() {
        for definition in &DEFINITIONS {
            let key = WorkflowKey::new(definition.key);
            assert_eq!(key.map(|key| key.definition()), Some(definition));
        }
        for unknown in [0, 1, 4, 7, 10, 31, 33, u16::MAX] {
            assert_eq!(WorkflowKey::new(unknown), None, "key {unknown}");
        }
        assert_eq!(keys(|_| true), "2, 3, 5, 6, 9, 16, 20, 32");
    }

    #[test]
    fn netverify_workflow_ids_name_id_and_identity_verification() {
        let key = |hundreds| WorkflowKey::netverify(hundreds).map(WorkflowKey::get);
        assert_eq!(key(100), Some(2));
        assert_eq!(key(200), Some(3));
        assert_eq!(key(300), None);
    }
}
