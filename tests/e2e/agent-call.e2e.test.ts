// A whole call handled with the keyboard alone, in Chromium against the real center and simulator:
// offered → pop → notes with two VOC items of different types → hold → resume → hang up → wrap-up
// with a disposition → available. No mouse clicks. axe-core runs in the page at the pop and at
// wrap-up. At the center, the note, both VOC items and the disposition are stored exactly once.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LookupResponse } from '../../shared/protocol/index';
import { artifacts, chooseWithArrows, seriousAxeViolations, startCallScene, testIdText } from './support';

let scene: Awaited<ReturnType<typeof startCallScene>>;

// Long calls (ring 30 s, talk 450 s): the simulator must not answer or end the call for the agent.
beforeAll(async () => {
  scene = await startCallScene('agent-call', { handleTime: '600-600', startNotReady: true });
});
afterAll(() => scene?.stop());

const agentState = (page: Page) => page.getByTestId('agent-state').getAttribute('data-state');
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);


/** Adds a VOC item from the keyboard: Alt+V, type by arrows, Tab to topic and description, Ctrl+Enter. */
async function addVocFromKeyboard(page: Page, item: { type: string; topic: string; description: string }, expectedCount: number) {
  await page.keyboard.press('Alt+V');
  await expect.poll(() => focusedTestId(page)).toBe('voc-type');
  await chooseWithArrows(page, 'voc-type', item.type);
  await page.keyboard.press('Tab');
  expect(await focusedTestId(page)).toBe('voc-topic');
  await page.keyboard.type(item.topic, { delay: 2 });
  await page.keyboard.press('Tab');
  expect(await focusedTestId(page)).toBe('voc-description');
  await page.keyboard.type(item.description, { delay: 2 });
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => page.getByTestId('voc-item').count(), { timeout: 15_000 }).toBe(expectedCount);
  // The form closes and hands the focus back to the notes.
  await expect.poll(() => focusedTestId(page)).toBe('note-editor');
}

describe('a whole call with the keyboard alone', () => {
  it('answers, notes two VOC items, holds, resumes, hangs up, wraps up with a disposition and goes available', { timeout: 240_000 }, async () => {
    const { browser, desktop, offered, observer } = scene;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(desktop.url);
    await page.getByTestId('agent-bar').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => testIdText(page, 'sync-status'), { timeout: 30_000 }).toMatch(/online/i);
    await expect.poll(() => agentState(page), { timeout: 30_000 }).toBe('not_ready');
    expect(offered).toHaveLength(0);
    await scene.becomeAvailable();

    // Offered: the phone rings and the caller's profile pops (center's answer: history present).
    await expect.poll(() => agentState(page), { timeout: 60_000 }).toBe('ringing');
    await page.getByTestId('customer-name').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.getByTestId('history-item').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(offered).toHaveLength(1);
    const call = offered[0]!;
    expect(await page.getByTestId('call-answer').getAttribute('aria-keyshortcuts')).toBe('Alt+A');
    expect(await seriousAxeViolations(page), 'axe at the pop').toEqual([]);
    await page.screenshot({ path: path.join(artifacts, 'agent-call-pop.png'), fullPage: true });

    await page.keyboard.press('Alt+A');
    await expect.poll(() => agentState(page), { timeout: 15_000 }).toBe('on_call');

    // Notes, from the keyboard: Alt+N focuses the free-form area.
    const stamp = Date.now();
    const note = `keyboard e2e ${stamp}: billed twice for March; sounded tired of calling back.`;
    await page.keyboard.press('Alt+N');
    await expect.poll(() => focusedTestId(page)).toBe('note-editor');
    await page.keyboard.type(note, { delay: 2 });
    const complaint = { type: 'complaint', topic: `double billing ${stamp}`, description: 'Charged twice for the March invoice.' };
    const wantSlip = { type: 'want_slip', topic: `callbacks ${stamp}`, description: 'Sighed about having to call again; did not ask for anything.' };
    await addVocFromKeyboard(page, complaint, 1);
    await addVocFromKeyboard(page, wantSlip, 2);
    expect(await page.getByTestId('note-editor').inputValue()).toBe(note);

    await page.keyboard.press('Alt+O');
    await expect.poll(() => agentState(page), { timeout: 15_000 }).toBe('on_hold');
    await page.keyboard.press('Alt+R');
    await expect.poll(() => agentState(page), { timeout: 15_000 }).toBe('on_call');
    await page.keyboard.press('Alt+E');
    await expect.poll(() => agentState(page), { timeout: 15_000 }).toBe('wrap_up');
    await page.getByTestId('wrap-up-disposition').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await seriousAxeViolations(page), 'axe at wrap-up').toEqual([]);

    // Notes stay editable in wrap-up; the disposition is reached with Tab from the notes.
    await page.keyboard.press('Alt+N');
    await expect.poll(() => focusedTestId(page)).toBe('note-editor');
    for (let i = 0; i < 40 && (await focusedTestId(page)) !== 'wrap-up-disposition'; i++) await page.keyboard.press('Tab');
    expect(await focusedTestId(page)).toBe('wrap-up-disposition');
    await page.keyboard.press('ArrowDown');
    const disposition = await page.getByTestId('wrap-up-disposition').inputValue();
    expect(disposition).not.toBe('');
    await page.screenshot({ path: path.join(artifacts, 'agent-call-wrap-up.png'), fullPage: true });
    await page.keyboard.press('Alt+D');
    await expect.poll(() => agentState(page), { timeout: 15_000 }).toBe('available');
    await expect.poll(() => testIdText(page, 'sync-pending'), { timeout: 30_000 }).toBe('0');

    // At the center: the note, both VOC items and the disposition, each exactly once.
    const ack = await observer.timeout(10_000).emitWithAck('customer:lookup', { by: 'phone', value: call.ani, reason: 'search' });
    expect(ack.ok).toBe(true);
    const pop = LookupResponse.parse(ack.value)!;
    const interactions = pop.history.filter((h) => h.id === call.interactionId);
    expect(interactions).toHaveLength(1);
    const stored = interactions[0]!;
    expect(stored.disposition).toBe(disposition);
    expect(stored.notes.filter((n) => n.interactionId === call.interactionId).map((n) => n.text)).toEqual([note]);
    const allVoc = [...pop.openVocItems, ...pop.history.flatMap((h) => h.vocItems)];
    for (const item of [complaint, wantSlip]) {
      const copies = allVoc.filter((v) => v.topic === item.topic);
      expect(new Set(copies.map((v) => v.id)).size, `${item.type} stored once`).toBe(1);
      expect(copies[0]).toMatchObject({ type: item.type, description: item.description, interactionId: call.interactionId, createdBy: 'agent1' });
    }
    expect(stored.vocItems.map((v) => v.type).sort()).toEqual(['complaint', 'want_slip']);
  });
});
