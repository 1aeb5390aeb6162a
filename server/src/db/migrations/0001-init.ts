// Migration 0001: the center's first schema. Released migrations are never edited; add 0002-….
// Every row carries tenant_id and every query filters on it.
export const sql = /* sql */ `
CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  time_zone   text NOT NULL DEFAULT 'UTC',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id             uuid PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants(id),
  username       text NOT NULL,
  display_name   text NOT NULL,
  role           text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  password_hash  text NOT NULL,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, username)
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id),
  user_id     uuid NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE customers (
  id            uuid PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id),
  external_id   text,
  display_name  text NOT NULL,
  language      text NOT NULL DEFAULT 'und',
  segment       text,
  consent       jsonb NOT NULL DEFAULT '{"phone":false,"email":false,"sms":false}',
  value         jsonb,
  flags         jsonb NOT NULL DEFAULT '[]',
  provisional   boolean NOT NULL DEFAULT false,
  -- set when a provisional customer was merged: late writes to it are re-pointed here
  merged_into   uuid REFERENCES customers(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX customers_tenant ON customers (tenant_id);

CREATE TABLE customer_identities (
  tenant_id    text NOT NULL REFERENCES tenants(id),
  customer_id  uuid NOT NULL REFERENCES customers(id),
  kind         text NOT NULL CHECK (kind IN ('phone', 'email', 'social')),
  value        text NOT NULL,
  PRIMARY KEY (tenant_id, kind, value)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

CREATE TABLE purchases (
  id           text NOT NULL,
  tenant_id    text NOT NULL REFERENCES tenants(id),
  customer_id  uuid NOT NULL REFERENCES customers(id),
  at           timestamptz NOT NULL,
  amount       numeric(14, 2) NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX purchases_customer ON purchases (customer_id);

CREATE TABLE queues (
  tenant_id             text NOT NULL REFERENCES tenants(id),
  id                    text NOT NULL,
  name                  text NOT NULL,
  disposition_required  boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE queue_disposition_codes (
  tenant_id  text NOT NULL,
  queue_id   text NOT NULL,
  code       text NOT NULL,
  label      text NOT NULL,
  position   int NOT NULL,
  PRIMARY KEY (tenant_id, queue_id, code),
  FOREIGN KEY (tenant_id, queue_id) REFERENCES queues(tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE interactions (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id),
  customer_id     uuid REFERENCES customers(id),
  channel         text NOT NULL,
  direction       text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  queue           text,
  agent           text,
  agent_user_id   uuid REFERENCES users(id),
  started_at      timestamptz NOT NULL,
  answered_at     timestamptz,
  ended_at        timestamptz,
  ani             text,
  dnis            text,
  disposition     text,
  subject         text
);
CREATE INDEX interactions_customer ON interactions (customer_id, started_at DESC);
CREATE INDEX interactions_tenant ON interactions (tenant_id, started_at DESC);

CREATE TABLE notes (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id),
  customer_id     uuid NOT NULL REFERENCES customers(id),
  interaction_id  uuid REFERENCES interactions(id),
  author          text NOT NULL,
  author_user_id  uuid REFERENCES users(id),
  text            text NOT NULL,
  revision        int NOT NULL,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX notes_customer ON notes (customer_id);
CREATE INDEX notes_interaction ON notes (interaction_id);

-- every revision an author saved, kept even when it arrives after a later one
CREATE TABLE note_revisions (
  note_id      uuid NOT NULL REFERENCES notes(id),
  revision     int NOT NULL,
  tenant_id    text NOT NULL,
  text         text NOT NULL,
  saved_at     timestamptz NOT NULL DEFAULT now(),
  mutation_id  uuid,
  PRIMARY KEY (note_id, revision)
);

CREATE TABLE voc_items (
  id              uuid PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id),
  customer_id     uuid NOT NULL REFERENCES customers(id),
  interaction_id  uuid REFERENCES interactions(id),
  type            text NOT NULL,
  topic           text NOT NULL,
  description     text NOT NULL,
  status          text NOT NULL,
  created_by      text NOT NULL,
  created_by_user_id uuid REFERENCES users(id),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX voc_items_customer ON voc_items (customer_id);
CREATE INDEX voc_items_interaction ON voc_items (interaction_id);

-- every wrap-up write; interactions.disposition holds the latest by server order
CREATE TABLE dispositions (
  id              bigserial PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id),
  interaction_id  uuid NOT NULL REFERENCES interactions(id),
  user_id         uuid REFERENCES users(id),
  code            text NOT NULL,
  set_at          timestamptz NOT NULL DEFAULT now(),
  mutation_id     uuid
);
CREATE INDEX dispositions_interaction ON dispositions (interaction_id);

-- change_log.version is handed out from change_version, updated as the LAST statement of every
-- writing transaction, so versions are in commit order (see sync/change-log.ts).
CREATE TABLE change_version (
  id       int PRIMARY KEY CHECK (id = 1),
  version  bigint NOT NULL
);
INSERT INTO change_version (id, version) VALUES (1, 0);

CREATE TABLE change_log (
  version      bigint PRIMARY KEY,
  tenant_id    text NOT NULL,
  entity       text NOT NULL,
  entity_id    text NOT NULL,
  op           text NOT NULL CHECK (op IN ('upsert', 'delete')),
  data         jsonb,
  -- scope: customer_id -> whoever has that customer in their working set; user_id -> that user
  -- only; neither -> the whole tenant (reference data such as queues)
  customer_id  uuid,
  user_id      uuid,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_log_tenant_version ON change_log (tenant_id, version);

-- versions at or below this were pruned: a cursor older than it must re-bootstrap
CREATE TABLE change_log_horizon (
  id       int PRIMARY KEY CHECK (id = 1),
  version  bigint NOT NULL
);
INSERT INTO change_log_horizon (id, version) VALUES (1, 0);

-- a user's working set: the customers whose changes their desktops replicate
CREATE TABLE working_set (
  tenant_id    text NOT NULL,
  user_id      uuid NOT NULL REFERENCES users(id),
  customer_id  uuid NOT NULL REFERENCES customers(id),
  reason       text NOT NULL,
  added_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, customer_id)
);
CREATE INDEX working_set_customer ON working_set (customer_id);

CREATE TABLE sync_clients (
  client_id     uuid PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id),
  user_id       uuid NOT NULL REFERENCES users(id),
  last_seq      bigint NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_push_at  timestamptz
);

CREATE TABLE rejected_mutations (
  client_id    uuid NOT NULL REFERENCES sync_clients(client_id),
  seq          bigint NOT NULL,
  tenant_id    text NOT NULL,
  user_id      uuid NOT NULL,
  mutation_id  uuid NOT NULL,
  name         text NOT NULL,
  args         jsonb,
  reason       text NOT NULL,
  rejected_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, seq)
);

CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  tenant_id    text NOT NULL,
  user_id      uuid,
  action       text NOT NULL,
  customer_id  uuid,
  reason       text,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_customer ON audit_log (tenant_id, customer_id, at);
`;
