// Migration 0027: customers lose their foreign key to tenants, and customer_identities both of theirs
// (to tenants and to customers). `import customers` writes a customer and one or two identities per
// row of a file of up to millions; checking the three keys row by row (a lookup and a row lock in
// tenants or customers for every row written) was over a third of the import's time, and the import
// could not reach 50,000 rows/s (issue 22). Purchases lost theirs the same way in 0026.
//
// What the keys guarded is kept by every writer, each in the transaction that writes:
// - the import (server/src/import/customers.ts) checks the tenant exists before its first batch, and
//   writes each identity under the id of the customer it has just written in the same statement or
//   COPY, of the same tenant;
// - customer.createProvisional (sync/mutations.ts) and the channels' unknown sender (channels/store.ts)
//   write an identity of the customer they have just inserted, in the tenant of the signed-in user or
//   of the channel;
// - interaction.linkCustomer (sync/mutations.ts) gives an identity only to a customer it has read in
//   the tenant (and refuses one that is missing or of another tenant);
// - the demo seed writes identities of the customers it has just written.
// Customers and tenants are never deleted (a customer merged into another keeps its row, and
// `merged_into`, whose key stays, points on), so an identity's customer cannot disappear later. A test
// checks the import never leaves an identity whose customer is missing or of another tenant.
export const sql = /* sql */ `
ALTER TABLE customers DROP CONSTRAINT customers_tenant_id_fkey;
ALTER TABLE customer_identities DROP CONSTRAINT customer_identities_tenant_id_fkey;
ALTER TABLE customer_identities DROP CONSTRAINT customer_identities_customer_id_fkey;
`;
