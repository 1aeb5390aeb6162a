// 0007: saved snippets. Short texts an agent writes themselves and inserts into chat and email replies;
// they are the agent's own and stay on this computer (never synced), one list per signed-in user.
import type { Migration } from './types';

export const migration0007: Migration = {
  id: 7,
  name: '0007-reply-snippets',
  sql: `
    CREATE TABLE reply_snippets (
      id         TEXT PRIMARY KEY,
      -- The signed-in user (the center's user id): another person on this computer has their own list.
      user_id    TEXT NOT NULL,
      title      TEXT NOT NULL,
      text       TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX reply_snippets_user ON reply_snippets(user_id, title);
  `,
};
