// 0006: the conversation outbox. An agent's reply to a chat or an email is not a sync mutation (it goes
// to the center as `conversation:reply`, answered by the stored message), but it is offline-first all
// the same: written here first, sent in the order written once the center answers, with the same
// client mutation id on every try so the center stores it once (SYNC.md).
import type { Migration } from './types';

export const migration0006: Migration = {
  id: 6,
  name: '0006-conversation-outbox',
  sql: `
    CREATE TABLE conversation_outbox (
      -- The reply's clientMutationId: the same on every try.
      client_mutation_id TEXT PRIMARY KEY,
      -- The order replies are sent in (the order the agent wrote them).
      seq                INTEGER NOT NULL UNIQUE,
      conversation_id    TEXT NOT NULL,
      text               TEXT NOT NULL,
      created_at         TEXT NOT NULL,
      attempts           INTEGER NOT NULL DEFAULT 0,
      -- Why the last try did not go through (offline, refused); null before any try.
      last_error         TEXT,
      -- The center refused it for good (the conversation was taken or closed): kept for the agent to copy, never resent.
      refused            INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX conversation_outbox_conversation ON conversation_outbox(conversation_id);
  `,
};
