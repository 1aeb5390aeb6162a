// Migration 0011: notes_customer (customer_id) and voc_items_customer (customer_id) of 0001 are
// prefixes of notes_customer_id and voc_items_customer_id (customer_id, id) of 0003, which answer
// every lookup by customer as well. Each note or VOC item written kept both up to date for nothing.
export const sql = /* sql */ `
DROP INDEX IF EXISTS notes_customer;
DROP INDEX IF EXISTS voc_items_customer;
`;
