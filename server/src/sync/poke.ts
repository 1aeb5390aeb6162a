// Pokes: after a commit, tell the desktops whose scope changed that there is something to pull.
import type { Queryable } from '../db/db';
import type { ChangeInput } from './change-log';

export interface Poker {
  /** Emits `sync:poke {version}` to each user's room (`agent:<userId>`). */
  pokeUsers(userIds: readonly string[], version: string): void;
  /** Emits `sync:poke {version}` to every desktop of the tenant (`tenant:<tenantId>`). */
  pokeTenant(tenantId: string, version: string): void;
}

/** Who can see at least one of `changes`, by the same rules as the pull's scope filter. */
export async function audienceOf(q: Queryable, tenantId: string, changes: ReadonlyArray<ChangeInput>) {
  const userIds = new Set<string>();
  const customerIds = new Set<string>();
  let tenantWide = false;
  for (const c of changes) {
    if (c.userId) userIds.add(c.userId);
    else if (c.customerId) customerIds.add(c.customerId);
    else tenantWide = true;
  }
  if (customerIds.size > 0 && !tenantWide) {
    const rows = await q.query<{ user_id: string }>(
      'SELECT DISTINCT user_id FROM working_set WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[])',
      [tenantId, [...customerIds]],
    );
    for (const r of rows) userIds.add(r.user_id);
  }
  return { userIds: [...userIds], tenantWide };
}

/** Changes that a writer will only know after answering (a queued working-set grant). */
const deferred = new WeakMap<ReadonlyArray<ChangeInput>, Promise<{ changes: ReadonlyArray<ChangeInput>; version: string } | null>>();

/**
 * An (empty) change list that stands for changes committed later: `pokeAudience` given it waits for
 * `later` and pokes for what it brings. Lets a handler answer first and poke when its grant commits.
 */
export function deferredChanges(later: Promise<{ changes: ReadonlyArray<ChangeInput>; version: string } | null>): ReadonlyArray<ChangeInput> {
  const marker: ChangeInput[] = [];
  deferred.set(marker, later);
  return marker;
}

export async function pokeAudience(q: Queryable, poker: Poker, tenantId: string, changes: ReadonlyArray<ChangeInput>, version: string) {
  const later = deferred.get(changes);
  if (later) {
    const done = await later;
    if (!done) return;
    ({ changes, version } = done);
  }
  if (changes.length === 0) return;
  const { userIds, tenantWide } = await audienceOf(q, tenantId, changes);
  if (tenantWide) poker.pokeTenant(tenantId, version);
  else poker.pokeUsers(userIds, version);
}
