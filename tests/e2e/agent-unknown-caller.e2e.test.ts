// A call from a number nobody knows: the pop says "New caller" with the number written the local
// way, the desktop makes a provisional profile in one step, the agent types a note against it, and
// the center ends up with that provisional customer exactly once (checked in its database).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPhone, toE164 } from '../../shared/domain/phone';
import { LookupResponse } from '../../shared/protocol/index';
import { openPglite } from '../../server/src/db/pglite';
import { artifacts, seriousAxeViolations, startCallScene, testIdText } from './support';

let scene: Awaited<ReturnType<typeof startCallScene>>;

beforeAll(async () => {
  scene = await startCallScene('agent-unknown', { unknownCallerShare: 1, handleTime: '600-600', startNotReady: true });
});
afterAll(() => scene?.stop());

describe('an unknown caller', () => {
  it('pops "New caller" with the formatted number, takes a note, and the center holds one provisional customer', { timeout: 180_000 }, async () => {
    const { browser, desktop, offered, observer } = scene;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(desktop.url);
    await page.getByTestId('agent-bar').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.getByTestId('agent-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('not_ready');
    await scene.becomeAvailable();
    await page.getByTestId('screen-pop').waitFor({ state: 'visible', timeout: 60_000 });
    expect(offered).toHaveLength(1);
    const call = offered[0]!;
    const e164 = toE164(call.ani)!;
    expect(e164, 'the simulator made up a Korean mobile number').toMatch(/^\+8210\d{8}$/);
    const formatted = formatPhone(e164);
    expect(formatted).toMatch(/^010-\d{4}-\d{4}$/);

    // The desktop's provisional profile replaces the bare "New caller"; the heading stays the same.
    await page.getByTestId('customer-provisional').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await testIdText(page, 'customer-name')).toBe(`New caller ${formatted}`);
    expect(await seriousAxeViolations(page), 'axe at the unknown caller pop').toEqual([]);

    const note = `unknown caller e2e ${Date.now()}: asked how to open an account; gave no name yet.`;
    const editor = page.getByTestId('note-editor');
    await editor.focus();
    await page.keyboard.type(note, { delay: 2 });
    await expect.poll(() => testIdText(page, 'note-status'), { timeout: 30_000 }).toMatch(/synced/i);
    await expect.poll(() => testIdText(page, 'sync-pending'), { timeout: 30_000 }).toBe('0');
    await page.screenshot({ path: path.join(artifacts, 'agent-unknown-caller.png'), fullPage: true });

    // The center's answer for the number is now the provisional customer, with the note on the call.
    const ack = await observer.timeout(10_000).emitWithAck('customer:lookup', { by: 'phone', value: e164, reason: 'search' });
    expect(ack.ok).toBe(true);
    const pop = LookupResponse.parse(ack.value);
    expect(pop).not.toBeNull();
    expect(pop!.customer).toMatchObject({ provisional: true, displayName: formatted });
    expect(pop!.customer.identities).toContainEqual({ kind: 'phone', value: e164 });
    const customerId = pop!.customer.id;

    // In the center's database (PGlite, opened once the center has stopped): one customer for the
    // number, provisional, and the note stored once against it and the call.
    scene.observer.close();
    await scene.desktop.stop();
    await scene.center.stop();
    const db = await openPglite(scene.centerDir);
    try {
      const owners = await db.query<{ customer_id: string }>(`SELECT customer_id FROM customer_identities WHERE tenant_id = 'demo' AND kind = 'phone' AND value = $1`, [e164]);
      expect(owners.map((o) => o.customer_id)).toEqual([customerId]);
      const customers = await db.query<{ id: string; provisional: boolean; merged_into: string | null }>(
        `SELECT id, provisional, merged_into FROM customers WHERE tenant_id = 'demo' AND (id = $1 OR display_name = $2)`,
        [customerId, formatted],
      );
      expect(customers).toEqual([{ id: customerId, provisional: true, merged_into: null }]);
      const notes = await db.query<{ text: string; customer_id: string }>('SELECT text, customer_id FROM notes WHERE interaction_id = $1', [call.interactionId]);
      expect(notes).toEqual([{ text: note, customer_id: customerId }]);
    } finally {
      await db.close();
    }
  });
});
