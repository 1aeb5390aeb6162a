// Migration 0025: what a visitor's "Email me this conversation" sent (server/src/channels/chat/transcript.ts)
// and the content of inbound mail attachments (server/src/channels/attachments.ts).
// Transcript mails are counted per conversation in numbered slots (1, 2, 3: the primary key makes a
// fourth impossible even when two requests race) and per visitor for the rate limit; the address
// they went to is never stored. An attachment's bytes are kept beside the message that carried it,
// under the id its metadata names (`ref` in conversation_messages.attachments), within the receiver's
// limits (10 MB a file, 20 MB a message).
export const sql = /* sql */ `
CREATE TABLE chat_transcript_sends (
  tenant_id        text NOT NULL REFERENCES tenants(id),
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  n                int NOT NULL CHECK (n >= 1),
  visitor_id       text NOT NULL,
  state            text NOT NULL DEFAULT 'sending' CHECK (state IN ('sending', 'sent', 'failed')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, n)
);
CREATE INDEX chat_transcript_sends_visitor ON chat_transcript_sends (tenant_id, visitor_id, created_at);
CREATE INDEX chat_transcript_sends_tenant ON chat_transcript_sends (tenant_id, created_at);

CREATE TABLE conversation_attachments (
  tenant_id        text NOT NULL REFERENCES tenants(id),
  id               uuid NOT NULL,
  conversation_id  uuid NOT NULL REFERENCES conversations(id),
  seq              int NOT NULL,
  position         int NOT NULL CHECK (position >= 0),
  filename         text NOT NULL,
  content_type     text NOT NULL,
  size             int NOT NULL CHECK (size >= 0),
  sha256           text NOT NULL,
  content          bytea NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (conversation_id, seq, position),
  FOREIGN KEY (conversation_id, seq) REFERENCES conversation_messages (conversation_id, seq)
);
`;
