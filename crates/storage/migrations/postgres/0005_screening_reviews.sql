-- A tenant's named search profiles: the searchProfile a request names (netverify's
-- additionalChecks.watchlistScreening.searchProfile, the account request's
-- additionalProperties). Each chooses the lists (a JSON array of names; NULL for every list in
-- force) and the threshold in thousandths (NULL for the default); searchStatus and monitoring
-- stay the tenant's (screening_profiles).
CREATE TABLE screening_search_profiles (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    lists TEXT,
    threshold_thousandths BIGINT,
    PRIMARY KEY (tenant_id, name)
);

-- A match a tenant reviewed as a false positive for one account: not reported again for that
-- account while the list entry stays at the version reviewed (entry_version, the screening
-- crate's digest of the entry). search_id is the search whose match was reviewed.
CREATE TABLE screening_reviews (
    tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    list TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    entry_version TEXT NOT NULL,
    search_id UUID NOT NULL REFERENCES screening_searches (id) ON DELETE CASCADE,
    reviewed_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, list, entry_id)
);
