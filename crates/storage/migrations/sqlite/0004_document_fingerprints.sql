-- Verified documents by fingerprint (a SHA-256 of tenant, country, type and number; never the
-- number itself), so that the same document under another account of the tenant is caught.
-- They go with the account.
CREATE TABLE document_fingerprints (
    tenant_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, fingerprint, account_id)
);
