// The VOC loop end to end in Chromium, against the real center, its simulator and two web-mode
// desktops: agent1 raises a complaint on a call from the VOC form (keyboard only, topic from the
// catalogue), the center routes it to Logistics, staff5 works it on the VOC desk (take, start, the
// result, the customer told by SMS), agent1's Follow-ups list offers the happy call, the call pops,
// and the "dissatisfied" answer reopens the item, which staff5's desk shows with the reason. axe-core
// runs on the desk and the item page; screenshots at three widths in English and Korean.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookupResponse } from '../../shared/protocol/index';
import { workEveryDay } from '../support/voc-setup';
import { artifacts, chooseWithArrows, removeDir, seriousAxeViolations, startCallScene, startWebDesktop, tempDir, testIdText } from './support';

let scene: Awaited<ReturnType<typeof startCallScene>>;
let staff: Awaited<ReturnType<typeof startWebDesktop>>;
const staffDir = tempDir('voc-loop-staff5');

beforeAll(async () => {
  // Long calls: the simulator must not answer or end the agent's call.
  scene = await startCallScene('voc-loop', { handleTime: '600-600', startNotReady: true });
  await workEveryDay(scene.center.url);
  staff = await startWebDesktop(scene.center.url, staffDir, 'demo:staff5:demo');
}, 180_000);
afterAll(async () => {
  await staff?.stop();
  await scene?.stop();
  removeDir(staffDir);
});

const agentState = (page: Page) => page.getByTestId('agent-state').getAttribute('data-state');
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

/** Screenshots of what is on the page at 1920×1080, 1280×720 and 960 wide, in English and Korean. */
async function shoot(page: Page, name: string) {
  for (const locale of ['en', 'ko'] as const) {
    await page.getByTestId('language-switch').selectOption(locale);
    for (const [width, height] of [[1920, 1080], [1280, 720], [960, 900]] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: path.join(artifacts, `${name}-${locale}-${width}.png`), fullPage: width === 960 });
    }
  }
  await page.getByTestId('language-switch').selectOption('en');
  await page.setViewportSize({ width: 1280, height: 720 });
}

describe('the VOC loop in Chromium', () => {
  it('raised by an agent, routed, worked on the desk, answered, followed up; "dissatisfied" reopens it', { timeout: 300_000 }, async () => {
    const { browser, desktop, observer } = scene;
    const stamp = Date.now();
    const said = `e2e ${stamp}: the parcel promised for Monday has not come`;

    // --- agent1 raises the complaint on a call ---
    const agent = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await agent.goto(desktop.url);
    await agent.getByTestId('agent-bar').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => testIdText(agent, 'sync-status'), { timeout: 30_000 }).toMatch(/online/i);
    await expect.poll(() => agentState(agent), { timeout: 30_000 }).toBe('not_ready');
    await scene.becomeAvailable();
    await expect.poll(() => agentState(agent), { timeout: 60_000 }).toBe('ringing');
    await agent.getByTestId('customer-name').waitFor({ state: 'visible', timeout: 30_000 });
    const call = scene.offered[0]!;
    await agent.keyboard.press('Alt+A');
    await expect.poll(() => agentState(agent), { timeout: 15_000 }).toBe('on_call');

    // The caller's record from the center (VOC items belong to a customer).
    await agent.getByTestId('voc-add').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => agent.getByTestId('history-item').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await agent.keyboard.press('Alt+N');
    await expect.poll(() => focusedTestId(agent)).toBe('note-editor');
    await agent.keyboard.press('Alt+V');
    await expect.poll(() => focusedTestId(agent)).toBe('voc-type');
    await chooseWithArrows(agent, 'voc-type', 'complaint');
    await agent.keyboard.press('Tab');
    expect(await focusedTestId(agent)).toBe('voc-topic');
    await agent.keyboard.type('late deliv', { delay: 5 });
    await agent.keyboard.press('ArrowDown');
    await agent.keyboard.press('Enter');
    expect(await agent.getByTestId('voc-topic').inputValue()).toBe('Late delivery');
    expect(await testIdText(agent, 'voc-topic-classification')).toBe('From the catalogue (Delivery)');
    await agent.keyboard.press('Tab');
    expect(await focusedTestId(agent)).toBe('voc-description');
    await agent.keyboard.type(said, { delay: 2 });
    await agent.keyboard.press('Tab');
    expect(await focusedTestId(agent)).toBe('voc-priority');
    await chooseWithArrows(agent, 'voc-priority', 'high');
    await agent.keyboard.press('Tab');
    expect(await focusedTestId(agent)).toBe('voc-wants');
    await chooseWithArrows(agent, 'voc-wants', 'explanation');
    expect(await seriousAxeViolations(agent), 'axe on the VOC form').toEqual([]);
    await agent.screenshot({ path: path.join(artifacts, 'voc-form.png'), fullPage: true });
    await agent.keyboard.press('Control+Enter');
    await expect.poll(() => agent.getByTestId('voc-item').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => testIdText(agent, 'sync-pending'), { timeout: 30_000 }).toBe('0');
    // Off the call, and out of the simulator's way while the loop runs.
    await agent.keyboard.press('Alt+E');
    await expect.poll(() => agentState(agent), { timeout: 15_000 }).toBe('wrap_up');
    const rest = (await observer.timeout(10_000).emitWithAck('agent:setState', { state: 'not_ready', reason: 'meeting' })) as { ok: boolean };
    expect(rest.ok).toBe(true);

    // The center numbered and routed it.
    const item = await expect
      .poll(async () => {
        const ack = (await observer.timeout(10_000).emitWithAck('customer:lookup', { by: 'phone', value: call.ani, reason: 'search' })) as { ok: boolean; value: unknown };
        return LookupResponse.parse(ack.value)?.openVocItems.find((v) => v.description === said && v.number !== null) ?? null;
      }, { timeout: 30_000 })
      .not.toBeNull()
      .then(async () => {
        const ack = (await observer.timeout(10_000).emitWithAck('customer:lookup', { by: 'phone', value: call.ani, reason: 'search' })) as { ok: boolean; value: unknown };
        return LookupResponse.parse(ack.value)!.openVocItems.find((v) => v.description === said)!;
      });
    expect(item).toMatchObject({ type: 'complaint', topicId: 'delivery/late', priority: 'high', wants: 'explanation', departmentId: 'logistics' });
    const number = item.number!;
    // The agent's list on the call shows the number too, once a sync brought it: read out on the same call.
    await expect.poll(() => agent.getByTestId('voc-item').first().textContent(), { timeout: 30_000 }).toContain(number);

    // --- staff5 works it on the VOC desk ---
    const desk = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await desk.goto(staff.url);
    await desk.getByTestId('voc-desk').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await desk.getByTestId('agent-bar').count()).toBe(0);
    await desk.getByTestId('desk-scope-department').click();
    const row = desk.getByTestId('desk-row').filter({ hasText: number });
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await row.textContent()).toMatch(/Complaint.*Late delivery.*High/);
    expect(await seriousAxeViolations(desk), 'axe on the desk').toEqual([]);
    await row.getByTestId('desk-open').click();
    const page = desk.getByTestId('desk-item');
    await expect.poll(() => testIdText(desk, 'desk-item-number'), { timeout: 15_000 }).toBe(number);
    expect(await testIdText(desk, 'desk-item-department')).toBe('Logistics');
    expect(await page.getByTestId('customer-name').textContent()).toBeTruthy();
    const status = () => testIdText(desk, 'desk-item-status');
    // The assigner may already have given it to staff5 (signed in); otherwise staff5 takes it.
    await expect.poll(status, { timeout: 15_000 }).toMatch(/Routed to a department|Owner assigned/);
    if ((await status()) === 'Routed to a department') await desk.getByTestId('desk-step-take').click();
    await expect.poll(status, { timeout: 15_000 }).toBe('Owner assigned');
    await expect.poll(() => testIdText(desk, 'desk-item-owner'), { timeout: 15_000 }).toBe(await desk.getByTestId('desk-bar').locator('.agent-name').innerText());
    await desk.getByTestId('desk-step-start').click();
    await expect.poll(status, { timeout: 15_000 }).toBe('In progress');
    await desk.getByTestId('desk-step-recordResult').click();
    await desk.getByTestId('desk-step-result').fill('The courier missed the depot scan; the parcel was found and sent on.');
    await desk.getByTestId('desk-step-remedy').fill('Delivered the next morning, delivery fee refunded.');
    expect(await seriousAxeViolations(desk), 'axe on the item page with a step open').toEqual([]);
    await shoot(desk, 'voc-desk-result');
    await desk.getByTestId('desk-step-result').focus();
    await desk.keyboard.press('Control+Enter');
    await expect.poll(status, { timeout: 15_000 }).toBe('Result recorded');
    await desk.getByTestId('desk-step-notifyCustomer').click();
    await desk.getByTestId('desk-step-via').selectOption('sms');
    await desk.getByTestId('desk-step-send').click();
    await expect.poll(status, { timeout: 20_000 }).toBe('Happy call pending');
    await expect.poll(() => desk.getByTestId('desk-item-pending').count(), { timeout: 20_000 }).toBe(0);
    await shoot(desk, 'voc-desk-item');

    // --- agent1's follow-up call ---
    const card = agent.getByTestId('followup-card').filter({ hasText: number });
    await card.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await card.textContent()).toMatch(/Late delivery.*The courier missed the depot scan.*Delivered the next morning/);
    expect(await seriousAxeViolations(agent), 'axe on the follow-ups').toEqual([]);
    await agent.screenshot({ path: path.join(artifacts, 'voc-follow-up.png'), fullPage: true });
    const before = scene.offered.length;
    await card.getByTestId('followup-call').click();
    // The outbound call pops like any call.
    await expect.poll(() => scene.offered.length, { timeout: 15_000 }).toBeGreaterThan(before);
    const form = agent.getByTestId('followup-outcome-form');
    await form.waitFor({ state: 'visible', timeout: 15_000 });
    await form.getByTestId('followup-outcome-dissatisfied').check();
    await form.getByTestId('followup-reason').fill('The parcel came, but the box was crushed.');
    await form.getByTestId('followup-save').click();
    await card.waitFor({ state: 'detached', timeout: 30_000 });

    // --- back on the desk: reopened, with the reason, for its owner ---
    await expect.poll(status, { timeout: 30_000 }).toBe('Reopened');
    const last = desk.getByTestId('desk-history-entry').last();
    expect(await last.textContent()).toMatch(/Happy call outcome: Happy call pending → Reopened.*The parcel came, but the box was crushed\./);
    expect(await desk.getByTestId('desk-step-start').count()).toBe(1);
    expect(await seriousAxeViolations(desk), 'axe on the reopened item').toEqual([]);
    await shoot(desk, 'voc-desk-reopened');
  });
});
