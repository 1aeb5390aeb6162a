// Improvements end to end in Chromium against the real center (its demo history), three web desktops:
// super1 drills from the busiest matrix cell of the last 90 days to an item, ticks it and proposes an
// improvement for Logistics; staff5 (Logistics' lead) finds it in the desk's Improvements tab, accepts
// it, starts work, marks it done and records its customer as told by phone; agent1's desk, open all
// the while, shows "Because customers told us: …". Screenshots at 1366×768 in English and Korean.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { artifacts, launchChromium, removeDir, seriousAxeViolations, startCenter, startWebDesktop, tempDir } from './support';

let center: Awaited<ReturnType<typeof startCenter>>;
const desktops: Array<Awaited<ReturnType<typeof startWebDesktop>>> = [];
let browser: Browser;
const dirs = ['improvements-center', 'improvements-super1', 'improvements-staff5', 'improvements-agent1'].map(tempDir);
const VIEWPORT = { width: 1366, height: 768 };

beforeAll(async () => {
  center = await startCenter({ dataDir: dirs[0]! });
  desktops.push(
    ...(await Promise.all([
      startWebDesktop(center.url, dirs[1]!, 'demo:super1:demo'),
      startWebDesktop(center.url, dirs[2]!, 'demo:staff5:demo'),
      startWebDesktop(center.url, dirs[3]!, 'demo:agent1:demo'),
    ])),
  );
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  for (const d of desktops) await d.stop();
  await center?.stop();
  dirs.forEach(removeDir);
});

/** Opens a desktop's page until its signed-in view shows (the desktop signs itself in once it is up). */
async function signedIn(url: string, testId: string): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await expect
    .poll(
      async () => {
        await page.goto(url);
        return page.getByTestId(testId).waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
      },
      { timeout: 120_000, interval: 1_000 },
    )
    .toBe(true);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifacts, `improvements-${name}.png`) });
async function inLanguage(page: Page, locale: 'en' | 'ko') {
  await page.getByTestId('language-switch').selectOption(locale);
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
}

describe('improvements in Chromium', () => {
  it('goes from a matrix cell to an item, an improvement, done, a customer told and the floor told', { timeout: 300_000 }, async () => {
    const [superDesk, staffDesk, agentDesk] = desktops as [(typeof desktops)[0], (typeof desktops)[0], (typeof desktops)[0]];
    const agent = await signedIn(agentDesk.url, 'agent-bar');
    const sup = await signedIn(superDesk.url, 'floor-bar');

    // super1: the busiest cell of the last 90 days, then its first item, ticked.
    await sup.keyboard.press('Alt+4');
    await sup.getByTestId('analysis-matrix').waitFor({ state: 'visible', timeout: 60_000 });
    const cells = await sup.getByTestId('analysis-cell').evaluateAll((els) =>
      els.map((el) => ({ topic: el.getAttribute('data-topic'), type: el.getAttribute('data-type'), count: Number((el.querySelector('.analysis-count')?.textContent ?? '0').replace(/\D/g, '')) })),
    );
    const busiest = [...cells].sort((a, b) => b.count - a.count)[0]!;
    expect(busiest.count, 'the demo has VOC items in the last 90 days').toBeGreaterThan(0);
    await sup.locator(`[data-testid="analysis-cell"][data-topic="${busiest.topic}"][data-type="${busiest.type}"]`).click();
    const firstItem = sup.getByTestId('analysis-item').first();
    await firstItem.waitFor({ state: 'visible', timeout: 30_000 });
    const number = ((await firstItem.locator('td').first().textContent()) ?? '').trim();
    expect(number).toMatch(/\d/);
    await firstItem.getByTestId('improvement-select').check();
    await sup.getByTestId('improvement-from-selected').click();
    const dialog = sup.getByTestId('improvement-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.getByTestId('improvement-answers').textContent()).toContain('1 VOC item');
    const title = `Evening delivery slots ${Date.now() % 100_000}`;
    await dialog.getByTestId('improvement-title').fill(title);
    await dialog.getByTestId('improvement-change').fill('Offer 18–22 h delivery slots where parcels keep arriving late.');
    await dialog.getByTestId('improvement-department').selectOption('logistics');
    await dialog.getByTestId('improvement-target').fill('2099-03-31');
    await shot(sup, 'propose-en');
    expect(await seriousAxeViolations(sup)).toEqual([]);
    await inLanguage(sup, 'ko');
    await shot(sup, 'propose-ko');
    await inLanguage(sup, 'en');
    await dialog.getByTestId('improvement-submit').click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => sup.getByTestId('improvement-created').textContent(), { timeout: 30_000 }).toContain(title);
    // It is open now: listed beside the matrix, counted on its topic's row.
    await sup.getByTestId('improvement-open-item').filter({ hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
    if (busiest.topic) await sup.locator(`[data-testid="improvement-topic-badge"][data-topic="${busiest.topic}"]`).waitFor({ state: 'visible', timeout: 30_000 });
    await sup.evaluate(() => window.scrollTo(0, 0));
    await shot(sup, 'analysis-en');

    // staff5, Logistics' lead: accept, start, done.
    const staff = await signedIn(staffDesk.url, 'voc-desk');
    await staff.getByTestId('desk-tab-improvements').click();
    await staff.getByTestId('improvement-open').filter({ hasText: title }).click();
    const page = staff.getByTestId('improvement-page');
    await page.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.getByTestId('improvement-item').first().textContent()).toContain(number);
    for (const [move, status] of [['accepted', 'Accepted'], ['in_progress', 'In progress'], ['done', 'Done']] as const) {
      await page.getByTestId(`improvement-move-${move}`).click();
      await expect.poll(() => page.getByTestId('improvement-status').textContent(), { timeout: 30_000 }).toBe(status);
    }

    // The floor hears it at once.
    const shared = agent.getByTestId('improvements-shared-item').filter({ hasText: title });
    await shared.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await shared.textContent()).toContain(`Because customers told us: ${title} — Logistics`);
    // Done is no longer open: the analysis on super1's screen drops it without being asked.
    await sup.getByTestId('improvement-open-item').filter({ hasText: title }).waitFor({ state: 'detached', timeout: 30_000 });

    // The customer whose item it answers, told by phone.
    const customer = page.getByTestId('improvement-customer').first();
    await customer.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await customer.textContent()).toContain(number);
    await shot(staff, 'desk-done-en');
    expect(await seriousAxeViolations(staff)).toEqual([]);
    await customer.getByTestId('improvement-told-call').click();
    await customer.getByTestId('improvement-customer-told').waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => page.getByTestId('improvement-item').first().textContent(), { timeout: 30_000 }).toMatch(/Told/);
    await inLanguage(staff, 'ko');
    await shot(staff, 'desk-done-ko');

    await shot(agent, 'floor-en');
    await inLanguage(agent, 'ko');
    await expect.poll(() => agent.getByTestId('improvements-shared').textContent()).toContain('고객의 목소리로 바뀌었습니다');
    await shot(agent, 'floor-ko');
    await inLanguage(sup, 'ko');
    await sup.evaluate(() => window.scrollTo(0, 0));
    await shot(sup, 'analysis-ko');
  });
});
