// Migration 0002: the queues each agent serves, stored 15-minute queue figures for trend charts,
// per-tenant CTI webhook secrets, and an index to read agent-state audit rows by user.
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

CREATE INDEX audit_log_user ON audit_log (tenant_id, user_id, at);
`;
