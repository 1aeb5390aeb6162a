// The VOC analysis end to end in Chromium against the real center (its demo history): super1's web
// desktop switches to the analysis (Alt+4), sees the last 90 days' topic × type matrix, opens its
// busiest cell by keyboard and sees that cell's items, downloads the items as CSV; the weekly trend
// drawn by uPlot, the rising topics; axe (colour contrast included: real layout here) in English and
// Korean at 1366×768, 1920×1080 and 960 px, with no horizontal scrolling; the matrix split by value
// tier, a tier's cell drilled; from an item, its contact on the VOC desk.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { artifacts, launchChromium, removeDir, seriousAxeViolations, startCenter, startWebDesktop, tempDir } from './support';

let center: Awaited<ReturnType<typeof startCenter>>;
let desktop: Awaited<ReturnType<typeof startWebDesktop>>;
let browser: Browser;
const centerDir = tempDir('analysis-center');
const desktopDir = tempDir('analysis-super1');

beforeAll(async () => {
  center = await startCenter({ dataDir: centerDir });
  desktop = await startWebDesktop(center.url, desktopDir, 'demo:super1:demo');
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await desktop?.stop();
  await center?.stop();
  [centerDir, desktopDir].forEach(removeDir);
});

describe('the VOC analysis in Chromium', () => {
  it("drills from the busiest cell of the last 90 days to its items, in English and Korean", { timeout: 180_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    // The desktop signs super1 in by itself (EARSHOT_SIGNIN) once it is up; the page reads the session
    // when it loads, so it is loaded again until the sign-in has happened.
    await expect
      .poll(
        async () => {
          await page.goto(desktop.url);
          return page.getByTestId('floor-bar').waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
        },
        { timeout: 90_000, interval: 1_000 },
      )
      .toBe(true);
    await page.keyboard.press('Alt+4');
    await page.getByTestId('analysis-bar').waitFor({ state: 'visible', timeout: 10_000 });
    await page.getByTestId('analysis-matrix').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.getByTestId('show-analysis').getAttribute('aria-current')).toBe('page');

    // The busiest cell, by the number it shows.
    const cells = await page.getByTestId('analysis-cell').evaluateAll((els) =>
      els.map((el) => ({ topic: el.getAttribute('data-topic'), type: el.getAttribute('data-type'), count: Number((el.querySelector('.analysis-count')?.textContent ?? '0').replace(/\D/g, '')) })),
    );
    const busiest = [...cells].sort((a, b) => b.count - a.count)[0]!;
    expect(busiest.count, 'the demo has VOC items in the last 90 days').toBeGreaterThan(0);
    const cell = page.locator(`[data-testid="analysis-cell"][data-topic="${busiest.topic}"][data-type="${busiest.type}"]`);
    await cell.focus();
    await page.keyboard.press('Enter');
    const items = page.getByTestId('analysis-item');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(Math.min(50, busiest.count));
    expect(await cell.getAttribute('aria-pressed')).toBe('true');
    // Each row: a number, the cell's type (in words), its topic, a status, a date, the links on.
    const first = await items.first().locator('td').allTextContents();
    expect(first).toHaveLength(6);
    expect(first[4]).toMatch(/\d{4}/);
    expect(first[5]).toMatch(/Customer/);
    // The weekly trend, drawn (a canvas in Chromium), its table beside; the rising topics with their rule.
    await expect.poll(() => page.getByTestId('analysis-trend-chart').getAttribute('data-drawn'), { timeout: 15_000 }).toBe('yes');
    expect(await page.getByTestId('analysis-trend-chart').locator('canvas').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('analysis-trend-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(13);
    expect(await page.getByTestId('analysis-rising-rule').getAttribute('title')).toContain('at least 5 items');
    expect((await page.getByTestId('analysis-figures').textContent()) ?? '').toMatch(/%/);

    // The items shown, as a CSV file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analysis-items-csv').click()]);
    const file = path.join(artifacts, 'analysis-items.csv');
    await download.saveAs(file);
    expect(readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split('\n')).toHaveLength(1 + Math.min(50, busiest.count));

    for (const locale of ['en', 'ko'] as const) {
      await page.getByTestId('language-switch').selectOption(locale);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
      if (locale === 'ko') expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('VOC 분석');
      for (const [width, height] of [[1366, 768], [1920, 1080], [960, 900]] as const) {
        await page.setViewportSize({ width, height });
        const wide = () =>
          page.evaluate(() =>
            [...document.querySelectorAll('body *')]
              .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 8)
              .map((el) => `${el.tagName}.${el.className}#${el.getAttribute('data-testid') ?? ''}:${Math.round(el.getBoundingClientRect().right)}`),
          );
        await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), { timeout: 5_000, message: `${locale} ${width}: wider than the window` }).toBeLessThanOrEqual(0).catch(async (err: unknown) => {
          throw new Error(`${String(err)}: ${JSON.stringify(await wide())}`);
        });
        const violations = await seriousAxeViolations(page);
        expect(violations, `${locale} ${width}: ${JSON.stringify(violations)}`).toEqual([]);
        await page.screenshot({ path: path.join(artifacts, `analysis-${locale}-${width}.png`), fullPage: width === 960 });
        if (width === 1920) {
          // The view as it opens, for the README: the matrix with the chosen cell, the figures and the trend beside it.
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.screenshot({ path: path.join(artifacts, `analysis-top-${locale}-${width}.png`) });
        }
      }
    }

    // Split by value tier: a row per topic and tier; a tier's busiest cell drills into its items.
    for (const locale of ['ko', 'en'] as const) {
      await page.getByTestId('language-switch').selectOption(locale);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
      if (locale === 'ko') await page.getByTestId('analysis-split').check();
      await expect.poll(() => page.getByTestId('analysis-matrix').getAttribute('data-split'), { timeout: 30_000 }).toBe('tier');
      expect(await page.getByTestId('analysis-row-tier').count()).toBeGreaterThan(1);
      const tiered = await page.getByTestId('analysis-cell').evaluateAll((els) =>
        els.map((el) => ({ topic: el.getAttribute('data-topic'), type: el.getAttribute('data-type'), tier: el.getAttribute('data-tier'), count: Number((el.querySelector('.analysis-count')?.textContent ?? '0').replace(/\D/g, '')) })),
      );
      const top = [...tiered].sort((a, b) => b.count - a.count)[0]!;
      await page.locator(`[data-testid="analysis-cell"][data-topic="${top.topic}"][data-type="${top.type}"][data-tier="${top.tier}"]`).click();
      await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(Math.min(50, top.count));
      for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
        await page.setViewportSize({ width, height });
        await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), { timeout: 5_000 }).toBeLessThanOrEqual(0);
        const violations = await seriousAxeViolations(page);
        expect(violations, `split ${locale} ${width}: ${JSON.stringify(violations)}`).toEqual([]);
        await page.screenshot({ path: path.join(artifacts, `analysis-split-${locale}-${width}.png`), fullPage: true });
      }
    }

    // From an item to its contact: the item's page on the VOC desk.
    const number = (await items.first().locator('td').first().textContent()) ?? '';
    await items.first().getByTestId('analysis-item-contact').click();
    await page.getByTestId('desk-item').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.getByTestId('desk-item-number').textContent()).toBe(number);
    await page.close();
  });
});
