// The walking skeleton, end to end: the simulator offers a call from a known demo customer → the
// center pushes it to agent1's socket → the web-mode desktop pops the customer from SQLite and the
// center → Chromium shows the name and history → the agent types a note → SQLite + outbox → pushed
// → stored at the center exactly once.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookupResponse } from '../../shared/protocol/index';
import { artifacts, startCallScene } from './support';

let scene: Awaited<ReturnType<typeof startCallScene>>;

beforeAll(async () => {
  // Not ready until the page is up: a call offered before it could ring out unanswered (the agent then
  // goes not ready and is offered nothing more), which a slow start under load made happen now and then.
  scene = await startCallScene('skeleton', { startNotReady: true });
});
afterAll(() => scene?.stop());

describe('one call through every layer', () => {
  it('pops the caller, saves the note locally, and stores it at the center once', async () => {
    const { browser, desktop, offered, observer } = scene;
    const page = await browser.newPage();
    await page.goto(desktop.url);
    await expect.poll(() => page.getByTestId('agent-bar').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => (await page.getByTestId('sync-status').textContent()) ?? '', { timeout: 30_000 }).toMatch(/online/i);
    await scene.becomeAvailable();

    const name = page.getByTestId('customer-name');
    await name.waitFor({ state: 'visible', timeout: 60_000 });
    expect((await name.textContent())?.trim().length).toBeGreaterThan(0);
    expect(offered.length, 'the center offered agent1 a call').toBeGreaterThan(0);
    // The center's answer carries the offered call itself in the history.
    await expect.poll(() => page.getByTestId('history-item').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    const marker = `e2e note ${Date.now()}: asked about the March invoice; unhappy about hold music`;
    const editor = page.getByTestId('note-editor');
    await editor.click();
    await editor.pressSequentially(marker, { delay: 5 });
    await expect.poll(async () => (await page.getByTestId('note-status').textContent()) ?? '', { timeout: 30_000 }).toMatch(/synced/i);
    await page.screenshot({ path: path.join(artifacts, 'skeleton-agent-view.png'), fullPage: true });

    // The interaction the note belongs to is the call that was popped last.
    const popped = offered.at(-1)!;
    const ack = await observer.timeout(10_000).emitWithAck('customer:lookup', { by: 'phone', value: popped.ani, reason: 'search' });
    expect(ack.ok).toBe(true);
    const pop = LookupResponse.parse(ack.value);
    expect(pop).not.toBeNull();
    const notes = pop!.history.flatMap((h) => h.notes).filter((n) => n.text === marker);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.interactionId).toBe(popped.interactionId);
    expect(notes[0]!.author).toBe('agent1');
    await expect.poll(async () => (await page.getByTestId('sync-pending').textContent())?.trim(), { timeout: 30_000 }).toBe('0');
  });
});
