// A rejected mutation whose ack is lost is still shown as rejected after the desktop redelivers it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import { openLocalDatabase } from '../../main/db/index';
import { createProcessVault } from '../../main/services/session-vault';
import { adoptSession, loginAtCenter } from '../../main/services/session';
import { NO_FAULTS, startFaultProxy, type FaultProxy } from './desktop-fault-proxy';
import { FAST, waitFor } from './desktop-harness';

describe('redelivery of a rejected mutation after a lost ack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-desktop-redelivery-'));
  let center: RunningCenter;
  let proxy: FaultProxy;
  let desktop: DesktopServices | undefined;

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent', dataDir: join(dir, 'center') });
    proxy = await startFaultProxy(center.url);
  });
  afterAll(async () => {
    await desktop?.stop();
    await proxy?.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the poisoned VOC item rejected and the note synced, each stored once', async () => {
    const { db } = openLocalDatabase(join(dir, 'agent1', 'earshot.db'));
    const vault = createProcessVault();
    adoptSession(db, proxy.url, await loginAtCenter(center.url, { tenant: 'demo', username: 'agent1', password: 'demo' }), vault);
    const clientId = (db.prepare('SELECT client_id FROM sync_state').get() as { client_id: string }).client_id;
    db.close();
    proxy.setOffline(clientId, true);
    desktop = createDesktopServices({ dataDir: join(dir, 'agent1'), centerUrl: proxy.url, vault }, FAST);
    const d = desktop;

    const customer = (await center.db.query<{ id: string }>(`SELECT id::text AS id FROM customers ORDER BY id LIMIT 1`))[0]!;
    const noteId = randomUUID();
    await d.start();
    // Written offline so both travel in the first push, whose ack is lost.
    await d.handlers.saveNote({ id: noteId, customerId: customer.id, interactionId: null, text: 'kept' });
    const poison = await d.handlers.createVocItem({
      id: randomUUID(),
      customerId: randomUUID(),
      interactionId: null,
      type: 'complaint',
      topic: 'billing',
      description: 'charged twice',
    });

    let pushes = 0;
    proxy.setDecider({ push: () => (pushes++ === 0 ? 'lost_ack' : 'pass'), pull: () => 'pass' });
    proxy.setOffline(clientId, false);
    const status = await waitFor('drained', async () => {
      const s = await d.handlers.getSyncStatus();
      return s.state === 'online' && s.pending === 0 && s.rejected.length === 1 ? s : undefined;
    }, () => d.handlers.getSyncStatus());
    expect(pushes).toBeGreaterThanOrEqual(2);
    expect(status.rejected[0]).toMatchObject({ mutationId: expect.any(String), name: 'voc.create' });
    const notes = await center.db.query(`SELECT revision FROM note_revisions WHERE note_id = $1`, [noteId]);
    expect(notes).toHaveLength(1);
    expect(await center.db.query(`SELECT id FROM voc_items WHERE id = $1`, [poison.id])).toEqual([]);
    proxy.setDecider(NO_FAULTS);
  });
});
