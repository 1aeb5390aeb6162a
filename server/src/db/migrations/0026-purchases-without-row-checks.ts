// Migration 0026: purchases lose their two foreign keys (to tenants and to customers) and their index
// by customer. The table is the fact table customer value is computed from, filled in bulk by `import
// purchases`; checking both keys row by row (a lookup and a row lock in tenants and in customers for
// every purchase) was half of a large import's time, and a 1M-row file could not load at the speed of
// COPY (issue 24). Nothing reads purchases by customer: value is computed for a whole tenant at once
// (server/src/value/customer-values.ts, one pass grouped by customer), so the index by customer only
// cost every insert a random write into it. A feature that lists one customer's purchases adds an
// index on (tenant_id, customer_id).
//
// What the keys guarded is kept by the two writers, each in the statement that writes:
// - the import (server/src/import/purchases.ts) resolves every row's customer by external id within
//   the tenant in the INSERT itself, and rejects the row (with its line) when there is none;
// - the demo seed writes purchases of the customers it has just written.
// Customers and tenants are never deleted (a customer merged into another keeps its row, and
// `merged_into` points on), so a purchase's customer cannot disappear later. A test checks the import
// never writes a purchase whose customer is missing or in another tenant.
export const sql = /* sql */ `
ALTER TABLE purchases DROP CONSTRAINT purchases_tenant_id_fkey;
ALTER TABLE purchases DROP CONSTRAINT purchases_customer_id_fkey;
DROP INDEX purchases_customer;
`;
