// Migration 0005: wallboard tokens. A TV's read-only access to one tenant's queue figures; only a
// hash of the token is kept (the token is shown once, when an admin creates it).
export const sql = /* sql */ `
CREATE TABLE wallboard_tokens (
  id          uuid PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id),
  label       text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX wallboard_tokens_tenant ON wallboard_tokens (tenant_id, label);
`;
