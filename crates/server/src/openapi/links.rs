//! OpenAPI links: how a client (or a stateful test such as schemathesis') follows an account
//! from its creation through the upload of parts, finalization, retrieval and deletion, and a
//! v4 transaction from its initiation to its retrieval and deletion. Each link names the
//! operation it leads to and where in the response its path parameters come from.

use utoipa::openapi::RefOr;
use utoipa::Modify;

const ACCOUNT: (&str, &str) = ("accountId", "$response.body#/account/id");
const EXECUTION: (&str, &str) = (
    "workflowExecutionId",
    "$response.body#/workflowExecution/id",
);
const FIRST_CREDENTIAL: (&str, &str) = (
    "credentialId",
    "$response.body#/workflowExecution/credentials/0/id",
);

/// Operations on the account alone.
const ON_ACCOUNT: &[&str] = &["getAccount", "updateAccount", "deleteAccount"];
/// Operations on one workflow execution.
const ON_EXECUTION: &[&str] = &[
    "getWorkflowExecutionStatus",
    "getWorkflowExecution",
    "listCallbacks",
    "finalizeWorkflowExecution",
    "deleteWorkflowExecution",
];
/// Operations on a credential of a workflow execution.
const ON_CREDENTIAL: &[&str] = &[
    "uploadPart",
    "replacePart",
    "deletePart",
    "deleteParts",
    "issueLivenessChallenge",
];
/// Operations on a v4 transaction.
const ON_SCAN: &[&str] = &[
    "getScanStatus",
    "getScanData",
    "getScanDataPart",
    "listScanImages",
    "getScanImage",
    "deleteScan",
];

/// Operations on a Document Verification transaction.
const ON_DOCUMENT: &[&str] = &[
    "addDocumentPage",
    "addDocumentPdf",
    "finalizeDocumentVerification",
    "getDocumentStatus",
    "getDocumentData",
    "getDocumentDataPart",
    "listDocumentPages",
    "getDocumentPage",
    "getDocumentOriginal",
    "deleteDocument",
];
const DOCUMENT: (&str, &str) = ("scanReference", "$response.body#/scanReference");

/// (operation, its 200 response's links: (targets, parameters)).
type Table = [(
    &'static str,
    &'static [(
        &'static [&'static str],
        &'static [(&'static str, &'static str)],
    )],
)];

const LINKS: &Table = &[
    (
        "createAccount",
        &[
            (ON_ACCOUNT, &[ACCOUNT]),
            (ON_EXECUTION, &[ACCOUNT, EXECUTION]),
            (ON_CREDENTIAL, &[ACCOUNT, EXECUTION, FIRST_CREDENTIAL]),
        ],
    ),
    (
        "updateAccount",
        &[
            (ON_ACCOUNT, &[ACCOUNT]),
            (ON_EXECUTION, &[ACCOUNT, EXECUTION]),
            (ON_CREDENTIAL, &[ACCOUNT, EXECUTION, FIRST_CREDENTIAL]),
        ],
    ),
    (
        "uploadPart",
        &[
            (ON_ACCOUNT, &[ACCOUNT]),
            (ON_EXECUTION, &[ACCOUNT, EXECUTION]),
        ],
    ),
    (
        "replacePart",
        &[
            (ON_ACCOUNT, &[ACCOUNT]),
            (ON_EXECUTION, &[ACCOUNT, EXECUTION]),
        ],
    ),
    (
        "finalizeWorkflowExecution",
        &[
            (ON_ACCOUNT, &[ACCOUNT]),
            (ON_EXECUTION, &[ACCOUNT, EXECUTION]),
        ],
    ),
    (
        "getWorkflowExecutionStatus",
        &[
            (ON_ACCOUNT, &[ACCOUNT]),
            (ON_EXECUTION, &[ACCOUNT, EXECUTION]),
        ],
    ),
    (
        "initiateDocumentVerification",
        &[(ON_DOCUMENT, &[DOCUMENT])],
    ),
    (
        "completeDocumentVerification",
        &[(ON_DOCUMENT, &[DOCUMENT])],
    ),
    (
        "initiateTransaction",
        &[(
            ON_SCAN,
            &[("scanReference", "$response.body#/transactionReference")],
        )],
    ),
];

pub struct Journey;

impl Modify for Journey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in super::operations(item) {
                let Some(id) = operation.operation_id.clone() else {
                    continue;
                };
                let Some((_, groups)) = LINKS.iter().find(|(from, _)| *from == id) else {
                    continue;
                };
                let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") else {
                    continue;
                };
                let mut links = serde_json::Map::new();
                for (targets, parameters) in groups.iter() {
                    for target in targets.iter().filter(|target| **target != id) {
                        links.insert(link_name(target), link(target, parameters));
                    }
                }
                // utoipa 5.5 serialises its `Link` with snake-case keys (`operation_id`), which no
                // OpenAPI tool reads: the links go in as the JSON the specification defines.
                ok.extensions
                    .get_or_insert_with(Default::default)
                    .insert("links".to_owned(), serde_json::Value::Object(links));
            }
        }
    }
}

/// `getAccount` is followed as link `GetAccount`.
fn link_name(operation_id: &str) -> String {
    let mut name = operation_id.to_owned();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    name
}

fn link(target: &str, parameters: &[(&str, &str)]) -> serde_json::Value {
    let parameters: serde_json::Map<_, _> = parameters
        .iter()
        .map(|(name, expression)| ((*name).to_owned(), (*expression).into()))
        .collect();
    serde_json::json!({"operationId": target, "parameters": parameters})
}
