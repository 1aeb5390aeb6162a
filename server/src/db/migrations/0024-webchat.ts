// Migration 0024: web chat visitors (server/src/channels/chat). A visitor holds a token from
// POST /chat/session (kept here as its SHA-256 only, like users' sessions); the customer they are
// matched to when the tenant's site vouched for them (an HMAC with the tenant's chat identity secret),
// else none until their first message makes a provisional one. Chat identity secrets rotate like
// the CTI webhook's: the newest two are kept, the older accepted for a day after a new one.
export const sql = /* sql */ `
CREATE TABLE chat_visitors (
  tenant_id      text NOT NULL REFERENCES tenants(id),
  id             uuid NOT NULL,
  token_hash     text NOT NULL UNIQUE,
  display_name   text,
  email          text,
  external_id    text,
  verified       boolean NOT NULL DEFAULT false,
  customer_id    uuid REFERENCES customers(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX chat_visitors_expiry ON chat_visitors (expires_at);

CREATE TABLE chat_identity_secrets (
  tenant_id   text NOT NULL REFERENCES tenants(id),
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, secret)
);
`;
