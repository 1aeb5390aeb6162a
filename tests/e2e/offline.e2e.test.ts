// The center goes away under a call: the agent keeps typing and adding VOC items, the view says
// offline and how much is waiting; the center comes back on the same data and port, everything
// syncs, and the center holds the note's final text and the VOC item exactly once.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LookupResponse } from '../../shared/protocol/index';
import { artifacts, startCallScene, startCenter } from './support';

let scene: Awaited<ReturnType<typeof startCallScene>>;
const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

beforeAll(async () => {
  // Not ready until the page is up (a call offered earlier could ring out unanswered meanwhile).
  scene = await startCallScene('offline', { startNotReady: true });
});
afterAll(() => scene?.stop());

describe('the center stopped and started under a call', () => {
  it('keeps everything the agent wrote and syncs it exactly once when the center returns', async () => {
    const { browser, desktop, offered } = scene;
    const page = await browser.newPage();
    await page.goto(desktop.url);
    await page.getByTestId('agent-bar').waitFor({ state: 'visible', timeout: 30_000 });
    await scene.becomeAvailable();
    await page.getByTestId('customer-name').waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(() => offered.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const call = offered.at(-1)!;
    const editor = page.getByTestId('note-editor');
    const first = `offline e2e ${Date.now()}: wants the contract cancelled.`;
    await editor.click();
    await editor.pressSequentially(first, { delay: 5 });
    await expect.poll(() => text(page, 'note-status'), { timeout: 30_000 }).toMatch(/synced/i);

    scene.observer.close();
    const port = Number(new URL(scene.center.url).port);
    await scene.center.stop();
    await expect.poll(() => text(page, 'sync-status'), { timeout: 30_000 }).toMatch(/offline/i);

    const second = ' Also unhappy that the refund took three weeks.';
    await editor.click();
    await page.keyboard.press('End');
    await editor.pressSequentially(second, { delay: 5 });
    await page.getByTestId('voc-add').click();
    await page.getByTestId('voc-type').selectOption('complaint');
    const topic = `refund delay ${Date.now()}`;
    await page.getByTestId('voc-topic').fill(topic);
    await page.getByTestId('voc-description').fill('Refund took three weeks; customer was not told why.');
    await page.getByTestId('voc-submit').click();
    await expect.poll(() => page.getByTestId('voc-item').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => Number(await text(page, 'sync-pending')), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => text(page, 'note-status'), { timeout: 10_000 }).toMatch(/saved on this computer/i);
    expect(await editor.inputValue()).toBe(first + second);
    await page.screenshot({ path: path.join(artifacts, 'offline-agent-view.png'), fullPage: true });

    // Back on the same data and port, without the simulator so no new call replaces this one.
    scene.center = await startCenter({ dataDir: scene.centerDir, port });
    const observer = await scene.observe();
    await expect.poll(() => text(page, 'sync-status'), { timeout: 60_000 }).toMatch(/online/i);
    await expect.poll(() => text(page, 'sync-pending'), { timeout: 60_000 }).toBe('0');
    await expect.poll(() => text(page, 'note-status'), { timeout: 30_000 }).toMatch(/synced/i);
    await page.screenshot({ path: path.join(artifacts, 'offline-resynced-agent-view.png'), fullPage: true });

    const ack = await observer.timeout(10_000).emitWithAck('customer:lookup', { by: 'phone', value: call.ani, reason: 'search' });
    expect(ack.ok).toBe(true);
    const pop = LookupResponse.parse(ack.value)!;
    const notes = pop.history.flatMap((h) => h.notes).filter((n) => n.interactionId === call.interactionId);
    expect(notes.map((n) => n.text)).toEqual([first + second]);
    const voc = [...pop.openVocItems, ...pop.history.flatMap((h) => h.vocItems)].filter((v) => v.topic === topic);
    expect(new Set(voc.map((v) => v.id)).size).toBe(1);
    expect(voc[0]).toMatchObject({ type: 'complaint', interactionId: call.interactionId, createdBy: 'agent1' });
  });
});
