// Migration 0019: the tenant-local date whose nightly customer value recompute has run (value/nightly.ts),
// so each tenant's runs once a night in its own time zone, on one center node however many there are.
export const sql = /* sql */ `
ALTER TABLE tenants ADD COLUMN values_recomputed_on date;
`;
