// Migration 0021: non-voice work items (CHANNELS.md). A conversation is one chat or email thread
// routed to agents like a call: queued → offered (to one agent, until offer_expires_at) → active
// (held by one agent) → wrap_up → closed. It points at its `interactions` row, so it sits in the
// customer's history beside calls. Its messages carry a per-conversation sequence (a reconnect
// resumes after the last seq it has), the mail headers used for threading, the outbound state of an
// agent's reply and the client's mutation id that makes a reply idempotent. Capacity per queue and
// channel: how many items an agent holds at once and whether a call may interrupt them.
export const sql = /* sql */ `
CREATE TABLE conversations (
  tenant_id                 text NOT NULL REFERENCES tenants(id),
  id                        uuid NOT NULL,
  channel                   text NOT NULL CHECK (channel IN ('chat', 'email')),
  customer_id               uuid NOT NULL REFERENCES customers(id),
  interaction_id            uuid NOT NULL REFERENCES interactions(id),
  queue                     text NOT NULL,
  subject                   text,
  -- the web chat visitor (widget session) this conversation belongs to
  chat_visitor_id           text,
  state                     text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'offered', 'active', 'wrap_up', 'closed')),
  offered_to                uuid REFERENCES users(id),
  offered_at                timestamptz,
  offer_expires_at          timestamptz,
  holder_user_id            uuid REFERENCES users(id),
  -- when it (re-)entered the queue: the wait supervisors see
  queued_at                 timestamptz NOT NULL DEFAULT now(),
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  accepted_at               timestamptz,
  closed_at                 timestamptz,
  last_customer_message_at  timestamptz,
  first_response_at         timestamptz,
  last_seq                  int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (id),
  -- one agent at a time: an offer names exactly one agent, an item being worked exactly one holder
  CONSTRAINT conversations_offer CHECK (state <> 'offered' OR (offered_to IS NOT NULL AND offer_expires_at IS NOT NULL AND holder_user_id IS NULL)),
  CONSTRAINT conversations_held CHECK (state NOT IN ('active', 'wrap_up') OR holder_user_id IS NOT NULL),
  CONSTRAINT conversations_waiting CHECK (state <> 'queued' OR (offered_to IS NULL AND holder_user_id IS NULL))
);
CREATE INDEX conversations_waiting ON conversations (tenant_id, queued_at) WHERE state = 'queued';
CREATE INDEX conversations_holder ON conversations (tenant_id, holder_user_id) WHERE state IN ('active', 'wrap_up');
CREATE INDEX conversations_offered ON conversations (tenant_id, offered_to) WHERE state = 'offered';
CREATE INDEX conversations_visitor ON conversations (tenant_id, chat_visitor_id) WHERE chat_visitor_id IS NOT NULL;
CREATE INDEX conversations_open ON conversations (tenant_id) WHERE state <> 'closed';
CREATE INDEX conversations_first_response ON conversations (tenant_id, first_response_at) WHERE first_response_at IS NOT NULL;

CREATE TABLE conversation_messages (
  tenant_id           text NOT NULL,
  conversation_id     uuid NOT NULL REFERENCES conversations(id),
  seq                 int NOT NULL,
  direction           text NOT NULL CHECK (direction IN ('in', 'out')),
  -- the customer's address or visitor name for 'in'; the agent's username for 'out'
  author              text NOT NULL,
  author_user_id      uuid REFERENCES users(id),
  text                text NOT NULL,
  -- already sanitised by the channel that stored it (allow-list); rendered sanitised again
  html                text,
  message_id          text,
  in_reply_to         text,
  "references"        text[],
  -- an agent's reply: queued until the channel's outbound port reports it
  outbound_state      text CHECK (outbound_state IN ('queued', 'sent', 'delivered', 'failed')),
  outbound_error      text,
  client_mutation_id  uuid,
  attachments         jsonb NOT NULL DEFAULT '[]',
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, seq),
  CONSTRAINT conversation_messages_outbound CHECK ((direction = 'out') = (outbound_state IS NOT NULL))
);
CREATE UNIQUE INDEX conversation_messages_client_mutation ON conversation_messages (tenant_id, client_mutation_id) WHERE client_mutation_id IS NOT NULL;
CREATE UNIQUE INDEX conversation_messages_message_id ON conversation_messages (tenant_id, message_id) WHERE message_id IS NOT NULL;

CREATE TABLE queue_channel_settings (
  tenant_id      text NOT NULL,
  queue_id       text NOT NULL,
  channel        text NOT NULL CHECK (channel IN ('voice', 'chat', 'email')),
  capacity       int NOT NULL CHECK (capacity BETWEEN 1 AND 50),
  -- voice: an agent on a call is offered nothing else
  exclusive      boolean NOT NULL DEFAULT false,
  -- an agent holding items of this channel may still be offered a call
  interruptible  boolean NOT NULL DEFAULT false,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, queue_id, channel),
  FOREIGN KEY (tenant_id, queue_id) REFERENCES queues (tenant_id, id)
);
`;
