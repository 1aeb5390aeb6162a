// Migration 0017: the VOC loop (VOC.md, steps 2–8). A topic catalogue, departments with members and
// a lead, routing rules, SLA targets on the tenant's business calendar (working hours, holidays),
// per-tenant VOC settings (happy calls), item numbers, the workflow columns of voc_items with their
// three clocks, the append-only history, and follow-up call tasks. The role `staff` (department
// members who work the VOC desk, not calls) is new.
export const sql = /* sql */ `
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('agent', 'supervisor', 'admin', 'staff'));

-- Two levels: a category (parent_id NULL) and its topics ('billing' > 'billing/double-charge').
CREATE TABLE voc_topics (
  tenant_id   text NOT NULL REFERENCES tenants(id),
  id          text NOT NULL,
  parent_id   text,
  name        text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES voc_topics (tenant_id, id)
);

CREATE TABLE departments (
  tenant_id          text NOT NULL REFERENCES tenants(id),
  id                 text NOT NULL,
  name               text NOT NULL,
  lead_user_id       uuid REFERENCES users(id),
  -- a result waits for the lead's approval before the customer is told
  requires_approval  boolean NOT NULL DEFAULT false,
  -- round_robin: the center picks an owner among the members present; lead: the lead picks
  assignment         text NOT NULL DEFAULT 'round_robin' CHECK (assignment IN ('round_robin', 'lead')),
  active             boolean NOT NULL DEFAULT true,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE department_members (
  tenant_id         text NOT NULL,
  department_id     text NOT NULL,
  user_id           uuid NOT NULL REFERENCES users(id),
  -- round-robin: the member given an item longest ago is next
  last_assigned_at  timestamptz,
  PRIMARY KEY (tenant_id, department_id, user_id),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id)
);
CREATE INDEX department_members_user ON department_members (user_id);

-- First match by position; NULL matches anything. department_id NULL: recorded for analysis, no action.
CREATE TABLE voc_routing_rules (
  tenant_id      text NOT NULL REFERENCES tenants(id),
  position       int NOT NULL,
  type           text,
  topic_prefix   text,
  priority       text,
  department_id  text,
  PRIMARY KEY (tenant_id, position),
  FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id)
);

-- Working minutes on the business calendar, per type and priority.
CREATE TABLE voc_sla_targets (
  tenant_id            text NOT NULL REFERENCES tenants(id),
  type                 text NOT NULL,
  priority             text NOT NULL,
  acknowledge_minutes  int NOT NULL CHECK (acknowledge_minutes >= 0),
  resolve_minutes      int NOT NULL CHECK (resolve_minutes >= 0),
  notify_minutes       int NOT NULL CHECK (notify_minutes >= 0),
  PRIMARY KEY (tenant_id, type, priority)
);

CREATE TABLE business_hours (
  tenant_id  text NOT NULL REFERENCES tenants(id),
  weekday    smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  opens      text NOT NULL,
  closes     text NOT NULL,
  PRIMARY KEY (tenant_id, weekday)
);
CREATE TABLE holidays (
  tenant_id  text NOT NULL REFERENCES tenants(id),
  day        date NOT NULL,
  name       text NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, day)
);

CREATE TABLE voc_settings (
  tenant_id                text PRIMARY KEY REFERENCES tenants(id),
  default_department_id    text,
  -- types whose resolved items get a follow-up ("happy") call
  happy_call_types         text[] NOT NULL DEFAULT '{complaint}',
  -- working minutes after the customer was told; NULL: the next working day's opening
  happy_call_after_minutes int,
  follow_up_max_attempts   int NOT NULL DEFAULT 3 CHECK (follow_up_max_attempts >= 1),
  follow_up_retry_minutes  int NOT NULL DEFAULT 120 CHECK (follow_up_retry_minutes >= 0),
  -- a PBX fed through the webhook places follow-up calls by a signed POST here
  place_call_url           text,
  FOREIGN KEY (tenant_id, default_department_id) REFERENCES departments (tenant_id, id)
);

CREATE TABLE voc_numbers (
  tenant_id  text NOT NULL REFERENCES tenants(id),
  year       int NOT NULL,
  last       int NOT NULL,
  PRIMARY KEY (tenant_id, year)
);

ALTER TABLE voc_items
  ADD COLUMN number               text,
  ADD COLUMN topic_id             text,
  ADD COLUMN priority             text NOT NULL DEFAULT 'normal',
  ADD COLUMN safety               boolean NOT NULL DEFAULT false,
  ADD COLUMN wants                text,
  ADD COLUMN department_id        text,
  ADD COLUMN owner_user_id        uuid REFERENCES users(id),
  -- the clocks: each due (NULL while paused or without a target), met, passed
  ADD COLUMN clock_started_at     timestamptz,
  ADD COLUMN paused_since         timestamptz,
  ADD COLUMN paused_minutes       double precision NOT NULL DEFAULT 0,
  ADD COLUMN acknowledge_due      timestamptz,
  ADD COLUMN acknowledged_at      timestamptz,
  ADD COLUMN acknowledge_overdue  boolean NOT NULL DEFAULT false,
  ADD COLUMN resolve_due          timestamptz,
  ADD COLUMN resolved_at          timestamptz,
  ADD COLUMN resolve_overdue      boolean NOT NULL DEFAULT false,
  ADD COLUMN notify_due           timestamptz,
  ADD COLUMN notified_at          timestamptz,
  ADD COLUMN notify_overdue       boolean NOT NULL DEFAULT false,
  -- the desk's order: overdue first, then the nearest running deadline
  ADD COLUMN overdue              boolean NOT NULL DEFAULT false,
  ADD COLUMN next_due             timestamptz,
  ADD COLUMN result               text,
  ADD COLUMN remedy               text,
  ADD COLUMN notified_via         text,
  ADD COLUMN follow_up_outcome    text,
  ADD COLUMN revision             int NOT NULL DEFAULT 1;

-- The ten-step names of 0001 become the workflow's states.
UPDATE voc_items SET status = CASE status
  WHEN 'registered' THEN 'raised'
  WHEN 'department_assigned' THEN 'routed'
  WHEN 'owner_assigned' THEN 'assigned'
  WHEN 'feedback' THEN 'follow_up'
  WHEN 'analysed' THEN 'closed'
  WHEN 'improvement_shared' THEN 'closed'
  ELSE status END
WHERE status IN ('registered', 'department_assigned', 'owner_assigned', 'feedback', 'analysed', 'improvement_shared');

CREATE UNIQUE INDEX voc_items_number ON voc_items (tenant_id, number) WHERE number IS NOT NULL;
-- The desk: open items in the desk's order (overdue first, then the nearest deadline, none last),
-- for one department, one owner, or the whole tenant; keyset pages continue on the same three keys.
CREATE INDEX voc_items_department_desk ON voc_items (tenant_id, department_id, (NOT overdue), (COALESCE(next_due, 'infinity')), id)
  WHERE status NOT IN ('closed', 'withdrawn');
CREATE INDEX voc_items_owner_desk ON voc_items (owner_user_id, (NOT overdue), (COALESCE(next_due, 'infinity')), id)
  WHERE status NOT IN ('closed', 'withdrawn');
CREATE INDEX voc_items_tenant_desk ON voc_items (tenant_id, (NOT overdue), (COALESCE(next_due, 'infinity')), id)
  WHERE status NOT IN ('closed', 'withdrawn');
-- The sweep: clocks still running, by when they pass.
CREATE INDEX voc_items_acknowledge_running ON voc_items (acknowledge_due)
  WHERE acknowledged_at IS NULL AND NOT acknowledge_overdue AND acknowledge_due IS NOT NULL;
CREATE INDEX voc_items_resolve_running ON voc_items (resolve_due)
  WHERE resolved_at IS NULL AND NOT resolve_overdue AND resolve_due IS NOT NULL;
CREATE INDEX voc_items_notify_running ON voc_items (notify_due)
  WHERE notified_at IS NULL AND NOT notify_overdue AND notify_due IS NOT NULL;

-- Append-only: every move of an item, by whom, from where to where, and why.
CREATE TABLE voc_history (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants(id),
  voc_id       uuid NOT NULL REFERENCES voc_items(id),
  at           timestamptz NOT NULL DEFAULT now(),
  by_user_id   uuid REFERENCES users(id),
  by_name      text NOT NULL,
  action       text NOT NULL,
  from_status  text,
  to_status    text NOT NULL,
  reason       text,
  data         jsonb,
  -- the desktop mutation that caused it (none for the center's own moves)
  mutation_id  uuid
);
CREATE INDEX voc_history_item ON voc_history (voc_id, id);

-- Follow-up calls for the contact center: the happy call after a resolved complaint.
CREATE TABLE voc_follow_ups (
  id                  uuid PRIMARY KEY,
  tenant_id           text NOT NULL REFERENCES tenants(id),
  voc_id              uuid NOT NULL REFERENCES voc_items(id),
  customer_id         uuid NOT NULL REFERENCES customers(id),
  due_at              timestamptz NOT NULL,
  attempts            int NOT NULL DEFAULT 0,
  -- open: waiting; calling: an agent placed it; done: outcome recorded; skipped: an agent skipped it
  state               text NOT NULL DEFAULT 'open',
  claimed_by_user_id  uuid REFERENCES users(id),
  claimed_at          timestamptz,
  interaction_id      uuid,
  outcome             text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voc_follow_ups_due ON voc_follow_ups (tenant_id, due_at) WHERE state IN ('open', 'calling');
CREATE INDEX voc_follow_ups_item ON voc_follow_ups (voc_id);
`;
