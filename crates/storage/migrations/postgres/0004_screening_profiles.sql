-- A tenant's screening profile (the spec's searchProfile, set by the operator): which lists in
-- force it screens against (a JSON array of names; NULL for every list), the threshold in
-- thousandths (NULL for the default), and the searchStatus value a finished search reports
-- (DONE as the guide writes it, or SUCCESS as the vendor's live service sends it), and whether
-- its screened holders are screened again when a list changes (ongoing monitoring). A hit found
-- so is reported by a callback that names the search (`callbacks.search_id`).
CREATE TABLE screening_profiles (
    tenant_id UUID PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    lists TEXT,
    threshold_thousandths BIGINT,
    search_status TEXT NOT NULL,
    monitoring BIGINT NOT NULL DEFAULT 0
);

ALTER TABLE callbacks ADD COLUMN search_id UUID;
