// The pop travels with the ring, against a REAL center (PGlite) over real socket.io, with the desktop's
// real SQLite store: a caller the desktop has never seen paints from the offer itself (the center
// counts no lookup for it: every customer:lookup writes one audit row, and only the offer's own pop
// wrote one), is stored for offline use, and a late lookup answer for one call never replaces the pop
// of the call offered after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offerCall } from '../../server/src/index';
import { login, phoneOf, smallTenant, startTestCenter, type TestCenter } from '../../server/src/testing/center-client';
import { createDesktopServices, POP_FIRST_MS, type DesktopServices } from '../../main/services/index';
import { createCenterLink } from '../../main/services/center-link';
import { createEventHub } from '../../main/services/events';
import { createViewRecorder } from '../../main/services/audit/views';
import { createScreenPopService } from '../../main/services/cti/screen-pop';
import { tempStore } from '../../main/db/test-fixtures';
import type { EventPayload } from '../../shared/api/index';
import { toE164 } from '../../shared/domain/phone';
import { FAST, waitFor } from './desktop-harness';

describe('the pop pushed with the ring, against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-desktop-pushed-pop-'));
  let t: TestCenter;
  let desktop: DesktopServices | null = null;
  let agentId = '';
  const offered: Array<EventPayload<'callOffered'>> = [];
  const updated: Array<EventPayload<'screenPopUpdated'>> = [];

  beforeAll(async () => {
    t = await startTestCenter({}, [smallTenant('demo', 1, 40), smallTenant('acme', 2, 10)]);
    desktop = createDesktopServices({ dataDir: join(dir, 'agent4'), centerUrl: t.center.url }, FAST);
    desktop.on('callOffered', (e) => offered.push(e));
    desktop.on('screenPopUpdated', (e) => updated.push(e));
    await desktop.start();
    await desktop.handlers.signIn({ tenant: 'demo', username: 'agent4', password: 'demo' });
    await waitFor('online', async () => (await desktop!.handlers.getSyncStatus()).state === 'online');
    agentId = (await t.center.db.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = 'demo' AND username = 'agent4'`))[0]!.id;
  });
  afterAll(async () => {
    await desktop?.stop();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The center's audit rows of lookups (a customer:lookup, or the pop an offer carried) by this agent. */
  const lookupsAudited = async (action: 'customer.lookup' | 'customer.lookup.miss') =>
    (await t.center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE user_id = $1 AND action = $2`, [agentId, action]))[0]!.n;
  const settled = () =>
    waitFor('synced', async () => {
      const s = await desktop!.handlers.getSyncStatus();
      return s.state === 'online' && s.pending === 0;
    }, () => desktop!.handlers.getSyncStatus());

  it('paints a caller the desktop has never seen from the offer, with no lookup, and keeps it for offline', async () => {
    const phone = phoneOf(t.tenants.demo!, 5);
    const before = await lookupsAudited('customer.lookup');
    const call = await offerCall(t.center, { tenant: 'demo', username: 'agent4', ani: phone, queue: 'general' });
    const first = await waitFor('the offer', () => offered.find((o) => o.call.interactionId === call.interactionId));
    // The first thing the agent sees is the center's profile: no empty pane, no second round trip.
    expect(first.pop).toMatchObject({ source: 'center', customer: { identities: expect.arrayContaining([{ kind: 'phone', value: toE164(phone) }]) } });
    expect(first.pop!.history[0]!.id).toBe(call.interactionId);
    await settled();
    expect(updated.filter((u) => u.interactionId === call.interactionId)).toEqual([]);
    // One audit row: the pop the offer carried. A customer:lookup would have written a second.
    expect((await lookupsAudited('customer.lookup')) - before).toBe(1);
    // Stored: offline, the desktop still pops the caller from its own store.
    await t.center.stop().catch(() => undefined);
    const local = await desktop!.handlers.lookupCaller({ phone });
    expect(local).toMatchObject({ source: 'local', customer: { id: first.pop!.customer.id } });
    expect(local!.history.map((h) => h.id)).toContain(call.interactionId);
  });
});

describe('the sync after an offer, against a real center', () => {
  it('waits until the pop has had time to paint, then brings the call and the view audit across', async () => {
    const t = await startTestCenter({}, [smallTenant('demo', 1, 10)]);
    const dir = mkdtempSync(join(tmpdir(), 'earshot-desktop-pop-first-'));
    const desktop = createDesktopServices({ dataDir: join(dir, 'agent1'), centerUrl: t.center.url }, FAST);
    try {
      await desktop.start();
      await desktop.handlers.signIn({ tenant: 'demo', username: 'agent1', password: 'demo' });
      const synced = () => waitFor('synced', async () => ((s) => s.state === 'online' && s.pending === 0)(await desktop.handlers.getSyncStatus()));
      await synced();
      const offeredAt = new Map<string, number>();
      const cyclesAt: number[] = [];
      desktop.on('callOffered', (e) => offeredAt.set(e.call.interactionId, performance.now()));
      desktop.on('syncStatus', (s) => s.state === 'syncing' && cyclesAt.push(performance.now()));
      // A caller already in the local store: the pop is local, and showing it queues a view for the center.
      const phone = phoneOf(t.tenants.demo!, 3);
      await offerCall(t.center, { tenant: 'demo', username: 'agent1', ani: phone, queue: 'general' });
      await synced();
      const call = await offerCall(t.center, { tenant: 'demo', username: 'agent1', ani: phone, queue: 'general' });
      const handed = await waitFor('the offer', () => offeredAt.get(call.interactionId));
      // The center poked at once and the view was written at once; no cycle started before the hold ran out.
      const firstCycle = await waitFor('a sync cycle after the offer', () => cyclesAt.find((at) => at >= handed));
      expect(firstCycle - handed).toBeGreaterThanOrEqual(POP_FIRST_MS - 5);
      await synced();
      // The pull brought the call into the local store: the caller's history holds it.
      expect((await desktop.handlers.lookupCaller({ phone }))!.history.map((h) => h.id)).toContain(call.interactionId);
      const views = await t.center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'customer.viewed.local'`);
      expect(views[0]!.n).toBeGreaterThan(0);
    } finally {
      await desktop.stop();
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a late lookup answer for a previous call, against a real center', () => {
  it('never replaces the pop of the call offered after it', async () => {
    const t = await startTestCenter({}, [smallTenant('demo', 3, 20)]);
    const store = tempStore();
    const link = createCenterLink({ centerUrl: t.center.url, listeners: { connected() {}, disconnected() {}, connectFailed() {} } });
    try {
      const session = await login(t.center.url, 'demo', 'agent2');
      link.connect({ token: session.token, clientId: randomUUID() });
      await waitFor('connected', () => link.isConnected());
      const hub = createEventHub();
      const updated: Array<EventPayload<'screenPopUpdated'>> = [];
      hub.on('screenPopUpdated', (e) => updated.push(e));
      const pops = createScreenPopService({ db: store.db, link, emit: hub.emit, logger: { info() {}, warn() {}, error() {} }, workingSetCap: 100, onLocalWrite() {}, views: createViewRecorder({ db: store.db, onLocalWrite() {} }) });
      const base = { dnis: '1588-0000', queue: 'general', agent: 'agent2', offeredAt: new Date().toISOString() };
      // Call A comes without a pop (as a center re-offers a call on reconnect): the desktop asks the center.
      const a = { ...base, interactionId: randomUUID(), ani: phoneOf(t.tenants.demo!, 1) };
      const answeredA = pops.callOffered(a);
      // Call B rings before A's answer is back; the center knows nobody with B's number.
      const b = { ...base, interactionId: randomUUID(), ani: '+821099990000' };
      await pops.callOffered({ ...b, caller: { asOf: '1', pop: null } });
      const bPop = pops.currentCall()!.pop!;
      expect(bPop.customer.provisional).toBe(true);
      await answeredA; // A's answer (a real customer of the center) has now been handled
      expect(pops.currentCall()).toMatchObject({ call: { interactionId: b.interactionId }, pop: { customer: { id: bPop.customer.id } } });
      expect(updated.map((u) => u.interactionId)).toEqual([b.interactionId]);
    } finally {
      link.disconnect();
      store.cleanup();
      await t.stop();
    }
  });
});
