// Migration 0007: the supervisor's settings and acts — per-queue alert thresholds, and interactions
// marked as great service (shown to every agent of the tenant).
export const sql = /* sql */ `
CREATE TABLE queue_thresholds (
  tenant_id   text NOT NULL,
  queue_id    text NOT NULL,
  thresholds  jsonb NOT NULL,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, queue_id),
  FOREIGN KEY (tenant_id, queue_id) REFERENCES queues(tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE great_service (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id),
  interaction_id  uuid NOT NULL REFERENCES interactions(id),
  agent           text,
  marked_by       text NOT NULL,
  why             text NOT NULL,
  marked_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, interaction_id)
);
CREATE INDEX great_service_recent ON great_service (tenant_id, marked_at DESC);
`;
