// 0004: the session token is never kept in clear. Tokens saved by earlier versions were plain text:
// they are dropped (the agent signs in once more); from now on `session_token` holds only what the
// OS keychain sealed (main/services/session.ts), or nothing where there is no keychain. The time of
// the agent's last activity is kept, so a restart after the idle timeout does not resume the session.
import type { Migration } from './types';

export const migration0004: Migration = {
  id: 4,
  name: '0004-session-at-rest',
  sql: `
    UPDATE sync_state SET session_token = NULL;
    ALTER TABLE sync_state ADD COLUMN last_activity_at TEXT;
  `,
};
