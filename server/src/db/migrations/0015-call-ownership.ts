// Migration 0015: who may act on a call, and whose ids a call may take. `interaction_agents` records
// every agent a call was offered to (the first offer and each re-ring after a no-answer or a transfer),
// so linking a call to a customer is the business of those agents (and supervisors) only.
// `tenant_keys` holds each tenant's secret for deriving interaction ids from a switch's own call ids:
// another tenant's switch cannot compute them, so it cannot take a tenant's future ids.
export const sql = /* sql */ `
CREATE TABLE interaction_agents (
  tenant_id       text NOT NULL,
  interaction_id  uuid NOT NULL REFERENCES interactions(id),
  user_id         uuid NOT NULL REFERENCES users(id),
  offered_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (interaction_id, user_id)
);

CREATE TABLE tenant_keys (
  tenant_id    text PRIMARY KEY REFERENCES tenants(id),
  call_id_key  text NOT NULL
);
`;
