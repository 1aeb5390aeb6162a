// Migration 0016: counters shared by every center node that has no Redis (sign-in and lookup
// throttling, auth/throttle-db.ts); when an administrator last lifted a user's sign-in ceiling; and
// each tenant's policies an administrator sets (customer lookups a user may make per minute).
export const sql = /* sql */ `
-- keys are hashes (no usernames or addresses stored); times in ms since the epoch
CREATE TABLE throttle_counters (
  key         text PRIMARY KEY,
  count       int NOT NULL,
  next_at     bigint NOT NULL,
  expires_at  bigint NOT NULL
);
CREATE INDEX throttle_counters_expiry ON throttle_counters (expires_at);

CREATE TABLE sign_in_lifts (
  user_id    uuid PRIMARY KEY REFERENCES users(id),
  lifted_by  text NOT NULL,
  lifted_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_policies (
  tenant_id           text PRIMARY KEY REFERENCES tenants(id),
  lookups_per_minute  int CHECK (lookups_per_minute IS NULL OR lookups_per_minute > 0),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
`;
