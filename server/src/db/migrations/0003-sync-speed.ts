// Migration 0003: what the faster sync and screen pop need — a last-use time on working-set rows
// (the center's per-user cap evicts the least recently used), keyset indexes and page positions for
// the paged bootstrap.
export const sql = /* sql */ `
ALTER TABLE working_set ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX working_set_user_last_used ON working_set (user_id, last_used_at);
-- bootstrap pages walk a user's working set by customer, then each customer's rows by id
CREATE INDEX notes_customer_id ON notes (customer_id, id);
CREATE INDEX voc_items_customer_id ON voc_items (customer_id, id);

-- Where each bootstrap page ends (sync/bootstrap.ts): a bootstrap cursor names one of these rows.
-- The snapshot is read in keyset pages at or after 'version', then the pull catches up from it.
CREATE TABLE sync_bootstrap_pages (
  token       bigserial PRIMARY KEY,
  tenant_id   text NOT NULL,
  user_id     uuid NOT NULL,
  version     bigint NOT NULL,
  phase       text NOT NULL,
  after       text[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_bootstrap_pages_created ON sync_bootstrap_pages (created_at);
`;
