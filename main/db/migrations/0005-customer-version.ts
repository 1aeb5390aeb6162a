// 0005: how current each cached customer is. A profile (and the pop cached with it) can now arrive by
// three ways that race: a pulled change, a lookup's answer, and the pop pushed with a call's offer.
// Each carries the center's change-log version it was read at; the store keeps the newest and refuses
// an older one (cache.ts), so a late answer never replaces a newer profile.
import type { Migration } from './types';

export const migration0005: Migration = {
  id: 5,
  name: '0005-customer-version',
  sql: `
    -- The change-log version the cached profile is known to be current at; 0 when unknown (cached
    -- before 0005, or written by this desktop).
    ALTER TABLE customers ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  `,
};
