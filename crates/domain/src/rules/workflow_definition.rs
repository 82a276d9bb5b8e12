//! The workflow definitions of the specification (reference/workflow_descriptions.md): which
//! credentials each key acquires, through which channels, and what must already be on file.

use std::fmt;

use crate::model::{Category, Channel};

/// A workflow definition key the specification defines and verifyd runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkflowKey(u16);

impl WorkflowKey {
    pub const SUPPORTED: [u16; 8] = [2, 3, 5, 6, 9, 16, 20, 32];

    pub fn new(key: u16) -> Option<Self> {
        Self::SUPPORTED.contains(&key).then_some(Self(key))
    }

    pub fn get(self) -> u16 {
        self.0
    }

    pub fn definition(self) -> &'static WorkflowDefinition {
        DEFINITIONS
            .iter()
            .find(|definition| definition.key == self.0)
            .unwrap_or(&DEFINITIONS[0])
    }
}

impl fmt::Display for WorkflowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
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

/// What processing runs for a workflow besides usability, which every credential gets: the
/// one place that says it (`service/pipeline.rs` reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    /// The document engine on each ID: image checks, extraction, data checks.
    pub documents: bool,
    /// Watchlist screening of the person extracted from the ID.
    pub screening: bool,
    /// Liveness of the selfie or capture; a passed one leaves a facemap for later workflows.
    pub liveness: bool,
    /// The ID's portrait against the selfie.
    pub similarity: bool,
    /// The selfie against the facemap on file.
    pub authentication: bool,
}

const fn steps(documents: bool, screening: bool, liveness: bool, similarity: bool) -> Steps {
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
    screening: false,
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
        steps: steps(true, false, false, false),
    },
    WorkflowDefinition {
        key: 3,
        name: "ID and Identity Verification",
        credentials: ID_AND_IDENTITY,
        prerequisite: Prerequisite::None,
        needs_existing_account: false,
        requires_user_reference: false,
        biometric: true,
        steps: steps(true, false, true, true),
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
        steps: steps(false, false, false, true),
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
        steps: steps(false, false, true, false),
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
    },
    WorkflowDefinition {
        key: 20,
        name: "Similarity of Two Images",
        credentials: &[template(Category::Id, API), template(Category::Selfie, API)],
        prerequisite: Prerequisite::None,
        needs_existing_account: false,
        requires_user_reference: false,
        biometric: true,
        steps: steps(false, false, false, true),
    },
    WorkflowDefinition {
        key: 32,
        name: "ID Verification, Identity Verification, Screening",
        credentials: ID_AND_IDENTITY,
        prerequisite: Prerequisite::None,
        needs_existing_account: false,
        requires_user_reference: true,
        biometric: true,
        steps: steps(true, true, true, true),
    },
];

/// Channels of an extra DOCUMENT credential (a PDF such as a proof of address), which any
/// workflow may carry beside its own credentials.
pub const DOCUMENT_CHANNELS: &[Channel] = API;

/// Channels of each credential in workflow 20 when the request picks its two categories.
pub const SIMILARITY_CHANNELS: &[Channel] = API;
