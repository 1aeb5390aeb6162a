// Migration 0019: the tenant-local date whose nightly customer value recompute has run (value/nightly.ts),
// so each tenant's runs once a night in its own time zone, on one center node however many there are.
// And customers_tenant (tenant_id) of 0001 goes: it is a prefix of the unique (tenant_id, external_id),
// which answers every lookup by tenant as well (provisional customers' NULL external ids are in it
// too); every customer imported or created kept both up to date for nothing.
export const sql = /* sql */ `
ALTER TABLE tenants ADD COLUMN values_recomputed_on date;
DROP INDEX IF EXISTS customers_tenant;
`;
