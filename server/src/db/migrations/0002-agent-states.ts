// Migration 0002: the queues each agent serves, stored 15-minute queue figures for trend charts,
// per-tenant CTI webhook secrets and the webhook's idempotency and call ordering state, and an index to read agent-state audit rows by user.
export const sql = /* sql */ `
CREATE TABLE user_queues (
  tenant_id  text NOT NULL,
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  queue_id   text NOT NULL,
  PRIMARY KEY (tenant_id, user_id, queue_id),
  FOREIGN KEY (tenant_id, queue_id) REFERENCES queues(tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE queue_metric_buckets (
  tenant_id     text NOT NULL REFERENCES tenants(id),
  queue_id      text NOT NULL,
  bucket_start  timestamptz NOT NULL,
  figures       jsonb NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, queue_id, bucket_start)
);

CREATE TABLE cti_webhook_secrets (
  tenant_id   text NOT NULL REFERENCES tenants(id),
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, secret)
);

-- The webhook's idempotency (every event id of a tenant) and each call's ordering state.
CREATE TABLE cti_webhook_events (
  tenant_id    text NOT NULL,
  event_id     text NOT NULL,
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, event_id)
);
CREATE TABLE cti_webhook_calls (
  tenant_id  text NOT NULL,
  call_key   text NOT NULL,
  state      jsonb NOT NULL,
  PRIMARY KEY (tenant_id, call_key)
);

CREATE INDEX audit_log_user ON audit_log (tenant_id, user_id, at);
`;
