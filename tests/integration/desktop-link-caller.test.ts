// Linking an unknown caller to an existing customer end to end (issue 6): the REAL desktop services
// against a REAL center running its call simulator with unknown callers only. The link is applied on
// this computer, pushed through the outbox, and the center's contact and customer follow.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import type { EventPayload } from '../../shared/api/index';
import { toE164 } from '../../shared/domain/phone';
import { FAST, waitFor } from './desktop-harness';

const dir = mkdtempSync(join(tmpdir(), 'earshot-desktop-link-'));
let center: RunningCenter | null = null;
let desktop: DesktopServices | null = null;
const updated: Array<EventPayload<'screenPopUpdated'>> = [];

beforeAll(async () => {
  center = await startCenter({
    port: 0,
    demo: true,
    logLevel: 'silent',
    dataDir: join(dir, 'center'),
    simulate: { offerIntervalMs: [150, 300], unknownCallerShare: 1 },
  });
  desktop = createDesktopServices({ dataDir: join(dir, 'agent5'), centerUrl: center.url }, FAST);
  desktop.on('screenPopUpdated', (e) => updated.push(e));
  await desktop.start();
  await desktop.handlers.signIn({ tenant: 'demo', username: 'agent5', password: 'demo' });
});
afterAll(async () => {
  await desktop?.stop();
  await center?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('links an unknown caller to an existing customer here and at the center', async () => {
  const d = desktop!;
  const c = center!;
  const provisional = await waitFor('an unknown caller with a provisional pop', () => updated.find((u) => u.pop?.customer.provisional));
  const [known] = await c.db.query<{ id: string }>(
    `SELECT id FROM customers WHERE tenant_id = 'demo' AND NOT provisional AND merged_into IS NULL ORDER BY id LIMIT 1`,
  );
  const interactionId = provisional.interactionId;
  const [offered] = await c.db.query<{ ani: string }>('SELECT ani FROM interactions WHERE id = $1', [interactionId]);

  const pop = await d.handlers.linkCallerToCustomer({ interactionId, customerId: known!.id, addPhone: true });
  // Not on this computer yet: the pop comes from the center.
  expect(pop?.customer.id).toBe(known!.id);

  await waitFor('synced', async () => {
    const s = await d.handlers.getSyncStatus();
    return s.state === 'online' && s.pending === 0;
  }, () => d.handlers.getSyncStatus());
  expect((await d.handlers.getSyncStatus()).rejected).toEqual([]);
  const [row] = await c.db.query<{ customer_id: string }>('SELECT customer_id FROM interactions WHERE id = $1', [interactionId]);
  expect(row!.customer_id).toBe(known!.id);
  const phones = await c.db.query<{ customer_id: string }>(`SELECT customer_id FROM customer_identities WHERE tenant_id = 'demo' AND kind = 'phone' AND value = $1`, [
    toE164(offered!.ani),
  ]);
  expect(phones.map((p) => p.customer_id)).toEqual([known!.id]);
  // The center's change comes back on the pull: this computer's copy of the customer has the number.
  await waitFor('the linked customer with the number on this computer', async () => {
    const local = await d.handlers.lookupCustomer({ customerId: known!.id });
    return local?.customer.identities.some((i) => i.kind === 'phone' && i.value === toE164(offered!.ani));
  });
});
