// Migration 0004: several center nodes. The CTI journal (every CTI event the owning node produces, in
// order; the next owner resumes queued calls and the day's metrics from it) and agent state changes
// (one row per change, so a new owner restores who is available, not ready or on which call).
export const sql = /* sql */ `
CREATE TABLE IF NOT EXISTS cti_journal (
  seq            bigserial PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants(id),
  interaction_id uuid,
  type           text NOT NULL,
  at             timestamptz NOT NULL,
  event          jsonb NOT NULL,
  node           text NOT NULL
);
CREATE INDEX IF NOT EXISTS cti_journal_tenant_at ON cti_journal (tenant_id, at);
CREATE INDEX IF NOT EXISTS cti_journal_interaction ON cti_journal (tenant_id, interaction_id);

CREATE TABLE agent_state_changes (
  id              bigserial PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id),
  user_id         uuid,
  agent           text NOT NULL,
  state           text NOT NULL,
  reason          text,
  interaction_id  uuid,
  queue           text,
  cause           text NOT NULL,
  forced_by       text,
  at              timestamptz NOT NULL
);
CREATE INDEX agent_state_changes_agent ON agent_state_changes (tenant_id, agent, at);
`;
