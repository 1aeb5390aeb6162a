// Screen pop against a REAL center running its call simulator: the local cache answers at once, or
// the center's profile that came with the offer, which is cached; an unknown caller becomes a
// provisional customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import type { EventPayload } from '../../shared/api/index';
import { toE164 } from '../../shared/domain/phone';
import { FAST, waitFor } from './desktop-harness';

describe('screen pop against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-desktop-pop-'));
  const centerDir = join(dir, 'center');
  let center: RunningCenter | null = null;
  let desktop: DesktopServices | null = null;
  const offered: Array<EventPayload<'callOffered'>> = [];
  const updated: Array<EventPayload<'screenPopUpdated'>> = [];

  async function restartCenter(unknownCallerShare: number): Promise<void> {
    const port = center?.port ?? 0;
    await center?.stop();
    center = await startCenter({
      port,
      demo: true,
      logLevel: 'silent',
      dataDir: centerDir,
      simulate: { offerIntervalMs: [150, 300], unknownCallerShare },
    });
  }

  beforeAll(async () => {
    await restartCenter(0);
    desktop = createDesktopServices({ dataDir: join(dir, 'agent3'), centerUrl: center!.url }, FAST);
    desktop.on('callOffered', (e) => offered.push(e));
    desktop.on('screenPopUpdated', (e) => updated.push(e));
    await desktop.start();
    await desktop.handlers.signIn({ tenant: 'demo', username: 'agent3', password: 'demo' });
  });
  afterAll(async () => {
    await desktop?.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pops the center's profile for a known caller, caches it, and answers from the cache when the center is gone", async () => {
    const first = await waitFor('a call offered', () => offered[0]);
    // A caller this desktop has never seen: the center's profile came with the offer, no update follows for it.
    const pop = first.pop!;
    expect(pop.source).toBe('center');
    expect(pop.customer.identities).toContainEqual({ kind: 'phone', value: toE164(first.call.ani) });

    await center!.stop();
    const local = await desktop!.handlers.lookupCaller({ phone: first.call.ani });
    expect(local).toMatchObject({ source: 'local', customer: { id: pop.customer.id, displayName: pop.customer.displayName } });
    expect(local!.history.map((h) => h.id)).toEqual(pop.history.map((h) => h.id));
    const found = await desktop!.handlers.searchCustomers({ query: pop.customer.displayName });
    expect(found.map((c) => c.id)).toContain(pop.customer.id);

    const current = await desktop!.handlers.getCurrentCall();
    expect(current?.call.interactionId).toBe(offered.at(-1)!.call.interactionId);
  });

  it('gives an unknown caller a provisional customer that reaches the center', async () => {
    offered.length = 0;
    updated.length = 0;
    await restartCenter(1);
    const call = await waitFor('an unknown caller offered', () => offered[0]);
    expect(call.pop).toBeNull();
    const update = await waitFor('the provisional pop', () => updated.find((u) => u.interactionId === call.call.interactionId));
    expect(update.pop).toMatchObject({ source: 'local', customer: { provisional: true } });
    const id = update.pop!.customer.id;

    // The agent writes a note against the provisional customer; both reach the center in order.
    await desktop!.handlers.saveNote({ id: crypto.randomUUID(), customerId: id, interactionId: call.call.interactionId, text: 'new caller, lost card' });
    await waitFor('synced', async () => {
      const s = await desktop!.handlers.getSyncStatus();
      return s.state === 'online' && s.pending === 0;
    }, () => desktop!.handlers.getSyncStatus());
    const rows = await center!.db.query<{ provisional: boolean }>('SELECT provisional FROM customers WHERE id = $1', [id]);
    expect(rows).toEqual([{ provisional: true }]);
    const notes = await center!.db.query('SELECT id FROM notes WHERE customer_id = $1', [id]);
    expect(notes).toHaveLength(1);
    expect((await desktop!.handlers.getSyncStatus()).rejected).toEqual([]);
  });
});
