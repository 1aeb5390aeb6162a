// 0002: the identity of the center database this desktop syncs with (issue #20). A center restored
// from a backup has a new one; meeting it, the desktop starts over with it (center-identity.ts).
import type { Migration } from './types';

export const migration0002: Migration = {
  id: 2,
  name: '0002-center-identity',
  sql: `
    -- The centerId of the last pull or push answer; null until a center that has one answers.
    ALTER TABLE sync_state ADD COLUMN center_id TEXT;
  `,
};
