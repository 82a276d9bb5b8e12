-- Periodic work taken in turns by the nodes on one database, and the initiations of the last
-- minute per tenant, so that the rate limit counts what every node admitted.
CREATE TABLE periodic_turns (
    task TEXT PRIMARY KEY,
    taken_at BIGINT NOT NULL,
    taken_by UUID NOT NULL
);

CREATE TABLE initiations (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at BIGINT NOT NULL
);
CREATE INDEX initiations_by_tenant ON initiations (tenant_id, at);
