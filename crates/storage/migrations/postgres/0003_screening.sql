-- Watchlist versions as imported (the screening crate's JSON, one version per list name in
-- force; replaced ones stay, since a search names the versions it searched) and the searches
-- made against them, with what they found. A search goes with its tenant, and with its
-- account when it screened an account's holder.
CREATE TABLE watchlists (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    published TEXT,
    imported_at BIGINT NOT NULL,
    entries BIGINT NOT NULL,
    in_force BIGINT NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX watchlists_in_force ON watchlists (in_force, name);

CREATE TABLE screening_searches (
    id UUID PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    account_id UUID REFERENCES accounts (id) ON DELETE CASCADE,
    execution_id UUID REFERENCES workflow_executions (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    results BIGINT NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX screening_searches_by_tenant ON screening_searches (tenant_id);
CREATE INDEX screening_searches_by_account ON screening_searches (account_id);
