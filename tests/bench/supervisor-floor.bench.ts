// The supervisor view on a big floor, in Chromium: the real app (store, SupervisorView, styles) around
// the FakeDesktopApi, built by Vite into a throw-away page, showing 200 agents and 20 queues. Pushes
// like the center's once-a-second ones (every queue's clock moves, a few figures and ~10% of agents
// change) are sent every 100 ms — ten times the real rate — and each is timed from the event to the
// next frame after it was applied. Figures: push-to-frame p50/p95 and the longest long task
// (PerformanceObserver 'longtask'); goal: p95 within a 50 ms budget and no long task over 50 ms.
// Baseline, in the same run: a plain page that rebuilds the same 220 rows with innerHTML per push.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { percentile, type Benchmark, type BenchRow } from './harness';
import { serveStatic } from './static-page';

const root = path.resolve(import.meta.dirname, '../..');
const AGENTS = 200;
const QUEUES = 20;
const PUSHES = Number(process.env.BENCH_SUPERVISOR_PUSHES ?? 100);
const INTERVAL_MS = 100;

function entrySource(): string {
  const r = (p: string) => JSON.stringify(path.join(root, p));
  return `
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { App } from ${r('renderer/app/App.tsx')};
import { createAppStore } from ${r('renderer/app/store.ts')};
import { FakeDesktopApi } from ${r('renderer/test-support/fake-desktop-api.ts')};
import { AGENT_USER } from ${r('renderer/test-support/fixtures.ts')};
import ${r('renderer/styles.css')};

const AGENTS = ${AGENTS}, QUEUES = ${QUEUES};
const STATES = ['available', 'on_call', 'wrap_up', 'not_ready', 'ringing', 'on_hold'];
const queueIds = Array.from({ length: QUEUES }, (_, i) => 'queue' + String(i + 1).padStart(2, '0'));
const figures = (i, tick, from) => ({
  from, offered: 40 + tick, answered: 36 + tick, abandoned: 4, shortAbandoned: 1, abandonedAfterT: 3, answeredWithinT: 30 + (i % 5),
  serviceLevel: ((70 + ((i * 7 + tick) % 30)) / 100), asaSec: 10 + ((i + tick) % 20), handled: 35 + tick, ahtSec: 290, avgTalkSec: 200, avgHoldSec: 20,
  avgWrapUpSec: 70, abandonRate: 0.1, occupancy: 0.8,
});
const queue = (id, i, tick, at) => ({
  queue: id, at, timeZone: 'Asia/Seoul',
  serviceLevel: { formula: 'abandons_count_against', expression: 'answered_within_T / (answered + abandoned)', thresholdSec: 20 },
  shortAbandonSec: 5, windowMin: 30,
  // Three queues in four keep their figures from one push to the next; the clock moves for all.
  waitingNow: i % 4 === 0 ? (i + tick) % 9 : i % 9, longestWaitSec: i % 4 === 0 ? (i * 3 + tick) % 120 : i * 3,
  window: figures(i, i % 4 === 0 ? tick : 0, '2026-11-25T09:30:00.000Z'), today: figures(i, 0, '2026-11-24T15:00:00.000Z'),
  buckets: {}, agentsByState: { available: 3, on_call: 5 }, agents: {},
});
const atOf = (tick) => new Date(Date.UTC(2026, 10, 25, 1, 0, tick)).toISOString();
const snapshot = (tick) => ({ at: atOf(tick), queues: Object.fromEntries(queueIds.map((id, i) => [id, queue(id, i, tick, atOf(tick))])) });
const agent = (n, tick) => ({
  agent: 'agent' + String(n + 1).padStart(3, '0'), state: STATES[(n + tick) % STATES.length], reason: null, since: atOf(tick),
  queue: queueIds[n % QUEUES], interactionId: null, customerName: null, forcedBy: null,
});
const changedAgents = (tick) => Array.from({ length: AGENTS / 10 }, (_, k) => agent((tick * 7 + k * 10) % AGENTS, tick));

const container = document.getElementById('root');
if (location.search.includes('plain')) {
  const render = (tick) => {
    const q = snapshot(tick);
    const rows = queueIds.map((id) => { const m = q.queues[id]; return '<tr><td>' + id + '</td><td>' + m.waitingNow + '</td><td>' + m.longestWaitSec + '</td><td>' + m.window.serviceLevel + '</td><td>' + m.window.asaSec + '</td></tr>'; });
    const agents = Array.from({ length: AGENTS }, (_, n) => agent(n, tick)).map((a) => '<tr><td>' + a.agent + '</td><td>' + a.state + '</td><td>' + a.queue + '</td><td>' + a.since + '</td></tr>');
    container.innerHTML = '<table>' + rows.join('') + '</table><table>' + agents.join('') + '</table>';
  };
  render(0);
  window.__push = render;
  window.__ready = true;
} else {
  const api = new FakeDesktopApi();
  api.session = { ...api.session, user: { ...AGENT_USER, username: 'super1', displayName: 'Sun Supervisor', role: 'supervisor' } };
  api.queueMetrics = snapshot(0);
  api.supervisedAgents = Array.from({ length: AGENTS }, (_, n) => agent(n, 0));
  const { store } = createAppStore(api, { locale: new URLSearchParams(location.search).get('locale') ?? 'en', storage: null });
  createRoot(container).render(createElement(Provider, { store }, createElement(App)));
  window.__push = (tick) => {
    api.emit('queueMetrics', snapshot(tick));
    api.emit('agentStates', { agents: changedAgents(tick) });
  };
  const wait = () => {
    if (document.querySelectorAll('[data-testid="agent-row"]').length >= AGENTS && document.querySelectorAll('[data-testid="queue-row"]').length >= QUEUES) window.__ready = true;
    else setTimeout(wait, 50);
  };
  wait();
}
`;
}

async function buildPage(dir: string): Promise<void> {
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  writeFileSync(path.join(dir, 'entry.js'), entrySource());
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>supervisor floor</title></head><body><div id="root"></div><script type="module" src="./entry.js"></script></body></html>');
  await build({ root: dir, base: './', logLevel: 'warn', configFile: false, plugins: [react()], build: { outDir: path.join(dir, 'dist'), emptyOutDir: true, sourcemap: Boolean(process.env.BENCH_SUPERVISOR_PROFILE) } });
}

interface PushRun {
  toFrame: number[];
  longest: number;
  longTasks: number;
  agentRows: number;
}

async function pushRun(page: Page, url: string): Promise<PushRun> {
  await page.goto(url);
  await page.waitForFunction('window.__ready === true', undefined, { timeout: 120_000 });
  return page.evaluate(`(async () => {
    const tasks = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push(e.duration); });
    observer.observe({ type: 'longtask' });
    const toFrame = [];
    for (let tick = 1; tick <= ${PUSHES}; tick++) {
      const t0 = performance.now();
      console.timeStamp('supervisor-push');
      window.__push(tick);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      toFrame.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, ${INTERVAL_MS}));
    }
    observer.disconnect();
    return { toFrame, longest: Math.max(0, ...tasks), longTasks: tasks.length, agentRows: document.querySelectorAll('[data-testid="agent-row"], tr').length };
  })()`) as Promise<PushRun>;
}

/** The floor in English and Korean at three window widths; says which of them scroll the page sideways. */
async function screenshots(browser: Browser, base: string, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const locale of ['en', 'ko']) {
    for (const width of [1920, 1280, 960]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${base}?locale=${locale}`);
      await page.waitForFunction('window.__ready === true', undefined, { timeout: 120_000 });
      await page.evaluate('(async () => { for (let tick = 1; tick <= 3; tick++) { window.__push(tick); await new Promise((r) => setTimeout(r, 50)); } })()');
      const file = path.join(dir, `floor-${locale}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      // The queues, alerts and charts above the agents, at a size that can be looked at.
      await page.screenshot({ path: file.replace(/\.png$/, '-top.png'), fullPage: true, clip: { x: 0, y: 0, width, height: 1800 } });
      const wide = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      console.log(`${file}: page ${Number(wide) > 0 ? `scrolls sideways by ${String(wide)} px` : 'fits'}`);
      await page.close();
    }
  }
}

/** Self time per function (ms, descending) from a CDP CPU profile. */
function selfTimes(profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] }): string {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const f = byNode.get(id)?.callFrame;
    const key = f ? `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}` : '?';
    total.set(key, (total.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...total].sort((a, b) => b[1] - a[1]).slice(0, 60).map(([k, ms]) => `${ms.toFixed(1).padStart(9)} ms  ${k}`).join('\n') + '\n';
}

/** Total duration per trace event name on the page's renderer main thread (ms, descending). */
function traceTimes(trace: Buffer): string {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: Array<{ name: string; ph: string; dur?: number; tid: number; pid: number; args?: { name?: string } }> }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const total = new Map<string, { ms: number; n: number }>();
  for (const e of events) {
    if (e.ph !== 'X' || !main || e.tid !== main.tid || e.pid !== main.pid) continue;
    const t = total.get(e.name) ?? { ms: 0, n: 0 };
    t.ms += (e.dur ?? 0) / 1000;
    t.n++;
    total.set(e.name, t);
  }
  return [...total].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40).map(([k, t]) => `${t.ms.toFixed(1).padStart(9)} ms  ${String(t.n).padStart(6)}×  ${k}`).join('\n') + '\n';
}

const bench: Benchmark = {
  name: 'supervisor-floor',
  async run() {
    const cache = path.join(root, 'node_modules/.cache');
    mkdirSync(cache, { recursive: true });
    const dir = mkdtempSync(path.join(cache, 'earshot-bench-supervisor-'));
    const browser = await chromium.launch({
      executablePath: process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    let server: Server | null = null;
    try {
      await buildPage(dir);
      server = await serveStatic(path.join(dir, 'dist'));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
      // BENCH_SUPERVISOR_SHOTS=DIR: the floor after a few pushes, full page, as DIR/floor-{en,ko}-{1920,1280,960}.png.
      const shots = process.env.BENCH_SUPERVISOR_SHOTS;
      if (shots) await screenshots(browser, base, shots);
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      // BENCH_SUPERVISOR_PROFILE=FILE: the supervisor view's pushes under the CPU profiler, self time by function to FILE.
      const profiling = process.env.BENCH_SUPERVISOR_PROFILE;
      const cdp = profiling ? await page.context().newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
      }
      // BENCH_SUPERVISOR_TRACE=FILE: the renderer's own work during the pushes (style, layout, paint…), in ms by event, to FILE,
      // and the trace to FILE.json (each push marked with a 'supervisor-push' TimeStamp); BENCH_SUPERVISOR_INVALIDATIONS=1
      // adds what invalidated style and layout (node and reason), which costs time of its own.
      const tracing = process.env.BENCH_SUPERVISOR_TRACE;
      if (tracing) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', ...(process.env.BENCH_SUPERVISOR_INVALIDATIONS ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])] });
      const view = await pushRun(page, base);
      if (cdp && profiling) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(profiling, selfTimes(profile));
        // The profile itself and the page's source map, for DevTools or a by-source summary.
        writeFileSync(`${profiling}.cpuprofile`, JSON.stringify(profile));
        for (const f of readdirSync(path.join(dir, 'dist/assets'))) if (f.endsWith('.js.map')) copyFileSync(path.join(dir, 'dist/assets', f), `${profiling}.${f}`);
      }
      if (tracing) {
        const trace = await browser.stopTracing();
        writeFileSync(tracing, traceTimes(trace));
        // The trace itself (per push: what style recalc, layout and paint touched) for DevTools or a per-push summary.
        writeFileSync(`${tracing}.json`, trace);
      }
      const plain = await pushRun(page, `${base}?plain`);
      if (view.agentRows < AGENTS) throw new Error(`the supervisor view showed ${view.agentRows} of ${AGENTS} agent rows`);
      const sorted = (f: number[]) => [...f].sort((a, b) => a - b);
      const load = os.loadavg().map((l) => l.toFixed(1)).join('/');
      const p95 = percentile(sorted(view.toFrame), 95);
      const rows: BenchRow[] = [
        { figure: `push to frame p50, ${AGENTS} agents × ${QUEUES} queues (load ${load})`, unit: 'ms', value: percentile(sorted(view.toFrame), 50), baseline: percentile(sorted(plain.toFrame), 50) },
        { figure: `push to frame p95 (${PUSHES} pushes, one per ${INTERVAL_MS} ms)`, unit: 'ms', value: p95, baseline: percentile(sorted(plain.toFrame), 95), goal: { text: '≤ 50 ms', met: p95 <= 50 } },
        { figure: 'longest long task during the pushes', unit: 'ms', value: view.longest, baseline: plain.longest, goal: { text: 'none over 50 ms', met: view.longest <= 50 } },
        { figure: 'long tasks during the pushes (count)', unit: 'tasks', value: view.longTasks, baseline: plain.longTasks },
      ];
      return rows;
    } finally {
      server?.close();
      await browser.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
