-- Document Verification transactions (`/api/netverify/v2/acquisitions`): documents other than
-- IDs, uploaded page by page or as a PDF, their pages' text read by a worker. No account or
-- execution: the transaction is its own record, and its own work queue (stage PROCESSING,
-- leased like a job). extraction is the domain's DocumentExtraction as JSON, set when DONE.
CREATE TABLE document_verifications (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    document_type TEXT NOT NULL,
    country TEXT,
    merchant_scan_reference TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    merchant_reporting_criteria TEXT,
    callback_url TEXT,
    enable_extraction BIGINT NOT NULL,
    custom_document_code TEXT,
    client_ip TEXT,
    stage TEXT NOT NULL,
    original_blob TEXT,
    extraction TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_token TEXT
);
CREATE INDEX document_verifications_due ON document_verifications (updated_at) WHERE stage = 'PROCESSING';

-- A page: its image (uploaded, or taken out of a PDF) and a PDF page's text layer.
CREATE TABLE document_pages (
    verification_id TEXT NOT NULL REFERENCES document_verifications (id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    media_type TEXT,
    blob_key TEXT,
    text_layer TEXT,
    PRIMARY KEY (verification_id, number)
);
