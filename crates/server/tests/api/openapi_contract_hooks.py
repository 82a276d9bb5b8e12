"""schemathesis hooks for the OpenAPI contract test (openapi_contract.rs).

Files: a part's `file` must be a real image (JPEG or PNG over 300 pixels) or, for DOCUMENT, a
PDF; the server decodes every upload. A schema can only say "binary", so a schema-valid upload
gets one of the sample files the test wrote (to $VERIFYD_CONTRACT_SAMPLES), chosen by the
classifier in its path. Uploads generated to break the schema keep their bytes.

The document states every rule a JSON Schema can state. A few refusals depend on more than one
request: on what the server already holds (the account's earlier workflows, the credential's
category, what was uploaded) or on rules that tie several fields together per workflow. A
request can satisfy its schema and still be refused for them, with 400 and one of the codes
below; the document describes each rule in words. Only schemathesis' "schema-valid request
rejected" check (ST202) is excused, only for 400, and only for these codes: every other check,
and every other answer, still fails the run. schemathesis reports how many failures this hook
dropped.
"""

import json
import os
from pathlib import Path

import schemathesis

UPLOADS = {"uploadPart", "replacePart"}
# The Document Verification uploads: a page or `complete` takes a photo, `.../document` a PDF.
DOCUMENT_UPLOADS = {
    "addDocumentPage": "photo.jpg",
    "completeDocumentVerification": "photo.jpg",
    "addDocumentPdf": "document.pdf",
    "addDocumentPageWithLink": "photo.jpg",
    "addDocumentPdfWithLink": "document.pdf",
}


def _sample(name):
    return (Path(os.environ["VERIFYD_CONTRACT_SAMPLES"]) / name).read_bytes()


def _file_for(classifier):
    if classifier == "DOCUMENT":
        return _sample("document.pdf")
    if classifier in ("FRONT", "BACK", "FACE") or classifier.startswith("LIVENESS_"):
        return _sample("photo.jpg" if len(classifier) % 2 else "photo.png")
    # FACEMAP takes a facemap this server sealed, PREPARED_DATA takes JSON: none to give.
    return None


@schemathesis.hook
def map_case(context, case):
    """Gives a schema-valid upload a file of the kind its classifier takes."""
    meta = case.meta
    positive = meta is None or meta.generation.mode.is_positive
    operation_id = case.operation.definition.raw.get("operationId")
    if positive and operation_id in UPLOADS and isinstance(case.body, dict) and "file" in case.body:
        classifier = str((case.path_parameters or {}).get("classifier", ""))
        sample = _file_for(classifier)
        if sample is not None:
            case.body["file"] = sample
    if positive and operation_id in DOCUMENT_UPLOADS and isinstance(case.body, dict) and "image" in case.body:
        case.body["image"] = _sample(DOCUMENT_UPLOADS[operation_id])
    return case

# Codes that name a rule about the server's state.
STATE_RULES = {
    # Workflows 5, 9 and 16 run on an existing account, 5 and 9 on an ID or a facemap it holds.
    "PREREQUISITE_NOT_MET",
    # Finalizing before any image or document was uploaded.
    "NOTHING_UPLOADED",
    # A liveness challenge for a credential that is not a FACEMAP credential.
    "NOT_A_CAPTURE",
    # A FACEMAP part must be a facemap this server sealed earlier: no generator can make one.
    "INVALID_FACEMAP",
    # PREPARED_DATA is sent as JSON, every other part as a multipart file: the path's classifier
    # decides which of the two documented bodies applies.
    "EXPECTED_JSON",
    "EXPECTED_FILE",
    # A Document Verification page number over the transaction's type's limit (2 for CC).
    "TOO_MANY_PAGES",
}

# INVALID_FIELD messages (they start with the field's name) of rules that tie fields together.
CROSS_FIELD_RULES = (
    # Which credentials, how many of each, and `id` only in workflow 5, per workflow key.
    "workflowDefinition.credentials",
    # userReference is mandatory in workflow 32.
    "userReference: is required for workflow",
    # Screening settings exist in the workflows that screen (32 always, 2 and 3 on request).
    "workflowDefinition.capabilities.watchlistScreening: is only available in workflows 2, 3, 32",
    # userConsent.consent is mandatory for users in the USA, obtainedAt when consent was given.
    "userConsent.consent: is required when",
    "userConsent.consent.obtainedAt: is required when",
    # The part's classifier must be one of the credential's category (FRONT of an ID, ...).
    "classifier: ",
    # A screening search needs a name with a word to search once titles, legal forms and
    # punctuation are set aside, and a date of birth that exists in the calendar: the pattern
    # says YYYY or YYYY-MM-DD, not which days a month has.
    "name: the name has no word to screen",
    "dateOfBirth: must be",
    # Document Verification: country is required except for type CC, customDocumentCode for
    # type CUSTOM.
    "country: is required (except for type CC)",
    "customDocumentCode: is required when type is CUSTOM",
    # The web client's baseColor and bgColor come together or not at all.
    "baseColor: must be passed with bgColor",
    "bgColor: must be passed with baseColor",
)


# performNetverify carries its images as base64 strings: a schema can say "base64", not "a JPEG
# or PNG over 300 pixels", so a schema-valid body is refused for what its images hold (the codes
# an upload gets, or base64 that does not decode, or a declared MIME type the image is not). The
# face image is required when enabledFields lists idFaceMatch.
IMAGE_FIELDS = ("frontsideImage", "backsideImage", "faceImage")
IMAGE_RULES = {
    "EMPTY_FILE",
    "FILE_TOO_LARGE",
    "UNSUPPORTED_FILE_TYPE",
    "IMAGE_TOO_LARGE",
    "IMAGE_TOO_SMALL",
    "CORRUPT_FILE",
    "INSPECTION_TIMEOUT",
}


def _image_refusal(case, code, message):
    operation_id = case.operation.definition.raw.get("operationId")
    if operation_id in DOCUMENT_UPLOADS:
        # What a page holds: the sample PDF's page is blank (neither a scan nor text).
        return code in IMAGE_RULES or code == "UNREADABLE_PDF_PAGE"
    if operation_id != "performNetverify":
        return False
    if code in IMAGE_RULES:
        return True
    return code == "INVALID_FIELD" and message.startswith(IMAGE_FIELDS)


def _excused(response, case=None):
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    code = body.get("code")
    message = body.get("message", "")
    if code in STATE_RULES:
        return True
    if case is not None and _image_refusal(case, code, message):
        return True
    return code == "INVALID_FIELD" and message.startswith(CROSS_FIELD_RULES)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but a schema-valid request refused for one of the rules above."""
    is_rule = getattr(failure, "code", None) == "ST202" and response.status_code == 400
    return not (is_rule and _excused(response, case))
