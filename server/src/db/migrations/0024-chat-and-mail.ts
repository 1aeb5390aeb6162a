// Migration 0024: web chat visitors (server/src/channels/chat) and tenants' mail (server/src/channels/mail.ts). A visitor holds a token from
// POST /chat/session (kept here as its SHA-256 only, like users' sessions); the customer they are
// matched to when the tenant's site vouched for them (an HMAC with the tenant's chat identity secret),
// else none until their first message makes a provisional one. Chat identity secrets rotate like
// the CTI webhook's: the newest two are kept, the older accepted for a day after a new one.
// Each tenant's outgoing mail server (replies leave through it, so SPF/DKIM stay the tenant's), and the
// subject token ([#ES-xxxxxx]) each email conversation carries, so a reply that lost its headers
// still finds its thread.
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

CREATE TABLE tenant_mail_settings (
  tenant_id     text PRIMARY KEY REFERENCES tenants(id),
  smtp_host     text NOT NULL,
  smtp_port     int NOT NULL CHECK (smtp_port BETWEEN 1 AND 65535),
  secure        boolean NOT NULL DEFAULT false,
  require_tls   boolean NOT NULL DEFAULT true,
  smtp_user     text,
  smtp_pass     text,
  from_address  text NOT NULL,
  from_name     text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE email_thread_refs (
  tenant_id        text NOT NULL,
  ref              text NOT NULL,
  conversation_id  uuid NOT NULL UNIQUE REFERENCES conversations(id),
  PRIMARY KEY (tenant_id, ref)
);
`;
