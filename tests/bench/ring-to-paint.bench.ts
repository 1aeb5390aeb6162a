// Ring to paint: from the center emitting `CallOffered` to the first paint of the popped profile in
// Chromium, with 1M customers in the desktop's local store.
// - The center runs in this process (demo data, in-memory PGlite) so `offerCall` can offer a call
//   now; t0 is taken just before it (it records the interaction, then emits: a conservative start).
// - The desktop (services + web host, built renderer from dist/renderer: run `npm run build` first)
//   runs as a child process of this very file (EARSHOT_RING_DESKTOP=1), with a working-set cap above
//   the store's size so the 1M customers stay.
// - The paint is the renderer's `earshot:pop-painted` mark (Element Timing of the profile's name,
//   renderer/features/screen-pop/paint-timing.ts); both clocks are this machine's wall clock.
// Warm: callers in the local store (1M synthetic customers, +8219…). Cold: callers only the center
// knows (their pop travels with the offer). Baseline: the same offer reaching a bare socket.io
// client of the same agent (wire + center emit only).
// The bare client runs in a process of its own (EARSHOT_RING_OBSERVER=1): in this one it would share
// the event loop with the center, which serves the desktop's pull right after the emit, and hear the
// offer late (after the paint, for cold callers).
// The emit is clocked where it leaves the center: the moment engine.io creates the offer's packet for
// the agent's sockets (its `packetCreate`, in this process). A receipt in another process is no clock
// for it: on two busy cores the bare client was often scheduled after the desktop had already handed
// the pop to the page.
// Stages of a ring, per call, on one wall clock: center (t0 → the emit: the call recorded, the caller
// found and granted, their pop read), desktop (→ the desktop services hand the pop to the page: parse,
// the local store read or the push stored), page (→ the renderer's receipt) and renderer (→ the
// paint). Beside them: the bare client's receipt (emit → a socket.io client that only listens), the
// center's offerCall until it resolves (the poke after the emit included) and, timed alone after the
// rings, the cold pop read.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { LoginResponse, SCHEMA_VERSION } from '../../shared/protocol/index';
import { openLocalDatabase, type Db } from '../../main/db/index';
import { percentile, type Benchmark, type BenchRow } from './harness';

const root = path.resolve(import.meta.dirname, '../..');
const CUSTOMERS = Number(process.env.BENCH_RING_CUSTOMERS ?? 1_000_000);
const WARM_SAMPLES = Number(process.env.BENCH_RING_SAMPLES ?? 60);
const COLD_SAMPLES = Number(process.env.BENCH_RING_COLD_SAMPLES ?? 30);
const HISTORY_PER_CUSTOMER = 5;
const LOAD_CHUNK = 100_000;
const warmPhone = (n: number) => `+8219${(10_000_000 + n).toString()}`;
const coldPhone = (n: number) => `+8218${(20_000_000 + n).toString()}`;
const nowMs = () => performance.timeOrigin + performance.now();

// ---------- the desktop child ----------
if (process.env.EARSHOT_RING_DESKTOP === '1') {
  const { createDesktopServices } = await import('../../main/services/index');
  const { startWebHost } = await import('../../main/web-host/server');
  const services = createDesktopServices(
    { dataDir: process.env.EARSHOT_RING_DATA_DIR!, centerUrl: process.env.EARSHOT_RING_CENTER_URL!, autoSignIn: { tenant: 'demo', username: 'agent1', password: 'demo' } },
    { workingSetCap: 10 * CUSTOMERS },
  );
  await services.start();
  // When the desktop hands each call's pop to the page (the parent reads these lines).
  services.on('callOffered', ({ call }) => process.stdout.write(`[ring-desktop] ${call.interactionId} ${nowMs()}\n`));
  // The renderer asks for the session once, when it loads: open it only once the automatic sign-in is done.
  while (!(await services.handlers.getSession()).signedIn) await new Promise((r) => setTimeout(r, 20));
  const host = await startWebHost({ services, staticDir: path.join(root, 'dist/renderer'), port: 0 });
  process.stdout.write(`Earshot desktop (web mode): ${host.url}\n`);
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  await host.close();
  await services.stop();
  process.exit(0);
}

// ---------- the bare client, in a process of its own ----------
if (process.env.EARSHOT_RING_OBSERVER === '1') {
  const socket = await agentSocket(process.env.EARSHOT_RING_CENTER_URL!);
  socket.on('cti:callOffered', (p: { interactionId: string }) => process.stdout.write(`[ring-wire] ${p.interactionId} ${nowMs()}\n`));
  process.stdout.write('[ring-observer] ready\n');
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  socket.close();
  process.exit(0);
}

/** Runs this file as a child (`role` in its env) and reads its `[ring-…] <id> <epoch ms>` lines. */
function spawnSelf(env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; ready: RegExpExecArray; stamps: Map<string, number>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'ring-to-paint.bench.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let lines = '';
  const stamps = new Map<string, number>();
  child.stdout!.on('data', (c: Buffer) => {
    lines += c.toString();
    const parts = lines.split('\n');
    lines = parts.pop() ?? '';
    for (const line of parts) {
      const m = /^\[ring-(?:desktop|wire)\] (\S+) (\S+)$/.exec(line);
      if (m) stamps.set(m[1]!, Number(m[2]));
    }
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the child did not start:\n${out}`)), 120_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, ready: m, stamps, stop });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`the child exited with ${code}:\n${out}`)));
  });
}

async function startDesktop(dataDir: string, centerUrl: string): Promise<{ url: string; stop(): Promise<void>; handedAt: Map<string, number> }> {
  const c = await spawnSelf({ EARSHOT_RING_DESKTOP: '1', EARSHOT_RING_DATA_DIR: dataDir, EARSHOT_RING_CENTER_URL: centerUrl }, /Earshot desktop \(web mode\): (\S+)/);
  return { url: c.ready[1]!, stop: c.stop, handedAt: c.stamps };
}

/** 1M customers with phone, email and a short history, set-based (as desktop-screen-pop-1m does). */
function loadLocalStore(db: Db, customers: number): void {
  const counter = 'WITH RECURSIVE g(n) AS (SELECT CAST(@from AS INTEGER) UNION ALL SELECT n + 1 FROM g WHERE n < CAST(@to AS INTEGER))';
  const cid = "printf('00000000-0000-4000-a000-%012x', n)";
  const phone = "'+8219' || (10000000 + n)";
  const insertCustomers = db.prepare(
    `${counter}
     INSERT INTO customers (id, display_name, provisional, updated_at, data, touched_at)
     SELECT ${cid}, 'Customer ' || n, 0, '2026-11-01T00:00:00.000Z',
            json_object('id', ${cid}, 'displayName', 'Customer ' || n, 'language', CASE n % 2 WHEN 0 THEN 'en' ELSE 'ko' END,
              'segment', NULL,
              'identities', json_array(json_object('kind', 'phone', 'value', ${phone}), json_object('kind', 'email', 'value', 'r' || n || '@example.com')),
              'consent', json_object('phone', json('true'), 'email', json('true'), 'sms', json('false')),
              'value', json_object('recency', 3, 'frequency', 2, 'monetary', 4, 'lifetimeValue', 1200, 'tier', 'regular'),
              'flags', json_array(), 'provisional', json('false'), 'updatedAt', '2026-11-01T00:00:00.000Z'),
            n
       FROM g`,
  );
  const insertIdentities = db.prepare(
    `${counter}
     INSERT INTO identities (customer_id, kind, value)
     SELECT ${cid}, 'phone', ${phone} FROM g UNION ALL SELECT ${cid}, 'email', 'r' || n || '@example.com' FROM g`,
  );
  const insertInteractions = db.prepare(
    `${counter}, k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < CAST(@per AS INTEGER) - 1),
     rows AS (SELECT printf('%08x-%04x-4000-a000-000000000000', n, k) AS id, ${cid} AS customer_id,
                     strftime('%Y-%m-%dT%H:%M:%S.000Z', '2026-01-01 09:00:00', '+' || k || ' days', '+' || (n % 3600) || ' seconds') AS started_at,
                     CASE k % 3 WHEN 0 THEN 'call' WHEN 1 THEN 'email' ELSE 'chat' END AS channel
                FROM g, k)
     INSERT INTO interactions (id, customer_id, started_at, data)
     SELECT id, customer_id, started_at,
            json_object('id', id, 'customerId', customer_id, 'channel', channel, 'direction', 'inbound', 'queue', 'general',
              'agent', 'agent1', 'startedAt', started_at, 'answeredAt', NULL, 'endedAt', NULL, 'ani', NULL, 'dnis', NULL,
              'disposition', 'resolved', 'subject', NULL)
       FROM rows`,
  );
  for (let from = 1; from <= customers; from += LOAD_CHUNK) {
    const to = Math.min(customers, from + LOAD_CHUNK - 1);
    db.transaction(() => {
      insertCustomers.run({ from, to });
      insertIdentities.run({ from, to });
      insertInteractions.run({ from, to, per: HISTORY_PER_CUSTOMER });
    })();
  }
  db.pragma('optimize');
}

async function agentSocket(centerUrl: string): Promise<Socket> {
  const res = await fetch(`${centerUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username: 'agent1', password: 'demo' }),
  });
  const login = LoginResponse.parse(await res.json());
  const socket = io(centerUrl, { auth: { token: login.token, schemaVersion: SCHEMA_VERSION }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

interface Marks {
  received: number | null;
  painted: number | null;
  source: string | null;
}

/**
 * The renderer's marks for one call, as epoch milliseconds, once its pop is painted (or after
 * `timeoutMs`). One evaluate per ring that waits in the page on a PerformanceObserver: polling it
 * every few ms would put the bench's own tasks on the renderer's main thread during the rings.
 */
function marksFor(page: Page, interactionId: string, timeoutMs: number): Promise<Marks> {
  // A string, not a function: tsx's helpers (__name) do not exist in the page.
  return page.evaluate(`new Promise((resolve) => {
    const id = ${JSON.stringify(interactionId)};
    const find = (name) => performance.getEntriesByName(name, 'mark').find((m) => m.detail && m.detail.interactionId === id);
    const answer = () => {
      const received = find('earshot:call-received');
      const painted = find('earshot:pop-painted');
      return {
        received: received ? performance.timeOrigin + received.startTime : null,
        painted: painted ? performance.timeOrigin + painted.startTime : null,
        source: painted && painted.detail.source ? painted.detail.source : null,
      };
    };
    if (find('earshot:pop-painted')) return resolve(answer());
    const observer = new PerformanceObserver(() => {
      if (!find('earshot:pop-painted')) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(answer());
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve(answer());
    }, ${timeoutMs});
    observer.observe({ type: 'mark' });
  })`) as Promise<Marks>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Stages = Record<'center' | 'desktop' | 'page' | 'renderer' | 'wire' | 'offerCall', number>;

/** Where a ring's time goes, p50 and p95 of each stage (no baseline: the first four add up to offer→paint). */
function stageRows(kind: 'warm' | 'cold', samples: ReadonlyArray<{ stages: Stages }>): BenchRow[] {
  const what: Record<keyof Stages, string> = {
    center: 'center (offer → emit: record, find, grant, read the pop)',
    desktop: 'desktop (emit → it hands the pop to the page)',
    page: "→ the renderer's receipt (desktop to page)",
    renderer: 'renderer (receipt → paint)',
    wire: "beside them: emit → a bare client's receipt",
    offerCall: "beside them: the center's offerCall until it resolves (the poke after the emit included)",
  };
  return (Object.keys(what) as Array<keyof Stages>).flatMap((stage) => {
    const xs = samples.map((s) => s.stages[stage]).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    return [50, 95].map((q) => ({ figure: `${kind} stage: ${what[stage]} p${q}`, unit: 'ms', value: percentile(xs, q), baseline: null }));
  });
}

const bench: Benchmark = {
  name: 'ring-to-paint',
  async run() {
    const { startCenter, offerCall, socketServerOf } = await import('../../server/src/index');
    const center = await startCenter({ demo: true, port: 0, logLevel: 'silent' });
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-ring-'));
    const browser = await chromium.launch({
      executablePath: process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    let desktop: Awaited<ReturnType<typeof startDesktop>> | null = null;
    let observer: Socket | null = null;
    let bare: Awaited<ReturnType<typeof spawnSelf>> | null = null;
    try {
      // 1. First start: sign in and bootstrap (which resets the local cache), then stop.
      desktop = await startDesktop(dataDir, center.url);
      let page = await browser.newPage();
      await page.goto(desktop.url);
      await page.getByTestId('sync-status').filter({ hasText: /online/i }).waitFor({ timeout: 120_000 });
      await page.close();
      await desktop.stop();

      // 2. The local store grows to 1M customers (the session and sync cursor stay).
      const l0 = Date.now();
      const { db } = openLocalDatabase(path.join(dataDir, 'earshot.db'));
      loadLocalStore(db, CUSTOMERS);
      const localCount = (db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
      db.close();
      process.stderr.write(`[${localCount} local customers in ${((Date.now() - l0) / 1000).toFixed(0)} s] `);

      // Cold callers: customers only the center knows, never in the agent's working set.
      const coldCustomers = Array.from({ length: 2 * COLD_SAMPLES }, (_, i) => ({ id: randomUUID(), phone: coldPhone(i) }));
      for (const c of coldCustomers) {
        await center.db.query(`INSERT INTO customers (id, tenant_id, display_name, language) VALUES ($1, 'demo', $2, 'ko')`, [c.id, `Cold ${c.phone.slice(-4)}`]);
        await center.db.query(`INSERT INTO customer_identities (tenant_id, customer_id, kind, value) VALUES ('demo', $1, 'phone', $2)`, [c.id, c.phone]);
      }

      // 3. Second start on the big store, and the agent view in Chromium.
      desktop = await startDesktop(dataDir, center.url);
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(desktop.url);
      await page.getByTestId('sync-status').filter({ hasText: /online/i }).waitFor({ timeout: 120_000 });
      await page.getByTestId('waiting-for-call').waitFor({ timeout: 60_000 });

      // Connected only now: the synchronous load above would have starved its heartbeats.
      observer = await agentSocket(center.url);
      bare = await spawnSelf({ EARSHOT_RING_OBSERVER: '1', EARSHOT_RING_CENTER_URL: center.url }, /\[ring-observer\] ready/);
      const wireAt = bare.stamps;
      // The emit: engine.io creates the offer's packet for each of the agent's sockets in one go; the first is the emit.
      const emittedAt = new Map<string, number>();
      const clockOffers = (socket: { conn: { on(event: 'packetCreate', listener: (packet: { data?: unknown }) => void): unknown } }) =>
        socket.conn.on('packetCreate', (packet) => {
          const at = nowMs();
          if (typeof packet.data !== 'string' || !packet.data.startsWith('2["cti:callOffered"')) return;
          const id = /"interactionId":"([^"]+)"/.exec(packet.data)?.[1];
          if (id && !emittedAt.has(id)) emittedAt.set(id, at);
        });
      const namespace = socketServerOf(center)!.of('/');
      for (const socket of namespace.sockets.values()) clockOffers(socket);
      namespace.on('connection', clockOffers);

      async function ring(phone: string, source: 'local' | 'center') {
        const t0 = nowMs();
        const call = await offerCall(center, { tenant: 'demo', username: 'agent1', ani: phone, queue: 'general' });
        const offered = nowMs();
        const marks = await marksFor(page, call.interactionId, 20_000);
        if (marks.painted === null || marks.received === null) throw new Error(`call ${call.interactionId} was not painted within 20 s`);
        if (marks.source !== source) throw new Error(`expected a ${source} pop, the first paint was ${marks.source}`);
        await sleep(150); // let the center's refresh and the sync settle before the next ring
        const emitted = emittedAt.get(call.interactionId) ?? NaN;
        const onWire = wireAt.get(call.interactionId) ?? NaN;
        const handed = desktop!.handedAt.get(call.interactionId) ?? NaN;
        return {
          toPaint: marks.painted - t0,
          toWire: onWire - t0,
          emitToPaint: marks.painted - emitted,
          emitToReceipt: marks.received - emitted,
          stages: {
            center: emitted - t0,
            desktop: handed - emitted,
            page: marks.received - handed,
            renderer: marks.painted - marks.received,
            wire: onWire - emitted,
            offerCall: offered - t0,
          },
        };
      }

      const warm = [];
      for (let i = 0; i < 5; i++) await ring(warmPhone(CUSTOMERS - i), 'local'); // warm-up
      // BENCH_RING_PROFILE=FILE: the renderer's CPU profile of the warm rings (open it in Chromium's DevTools).
      const profiler = process.env.BENCH_RING_PROFILE ? await page.context().newCDPSession(page) : null;
      if (profiler) {
        await profiler.send('Profiler.enable');
        await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
        await profiler.send('Profiler.start');
      }
      // BENCH_RING_TRACE=FILE: a Chromium trace of the warm rings (style, layout, paint and script per frame).
      if (process.env.BENCH_RING_TRACE) await browser.startTracing(page, { path: process.env.BENCH_RING_TRACE, categories: ['devtools.timeline', 'blink.user_timing', 'loading', 'disabled-by-default-v8.cpu_profiler'] });
      for (let i = 0; i < WARM_SAMPLES; i++) warm.push(await ring(warmPhone(1 + ((i * 7919) % CUSTOMERS)), 'local'));
      if (profiler) writeFileSync(process.env.BENCH_RING_PROFILE!, JSON.stringify((await profiler.send('Profiler.stop')).profile));
      if (process.env.BENCH_RING_TRACE) await browser.stopTracing();
      const cold = [];
      for (const c of coldCustomers.slice(0, COLD_SAMPLES)) cold.push(await ring(c.phone, 'center'));
      // Cold baseline: the center's own answer to a bare client asking for other cold callers (the
      // round trip a desktop made before the pop travelled with the offer).
      const centerLookup: number[] = [];
      for (const c of coldCustomers.slice(COLD_SAMPLES)) {
        const t0 = nowMs();
        const ack = (await observer.timeout(20_000).emitWithAck('customer:lookup', { by: 'phone', value: c.phone, reason: 'screen_pop' })) as { ok: boolean };
        if (!ack.ok) throw new Error('the center did not answer a lookup');
        centerLookup.push(nowMs() - t0);
        await sleep(150);
      }

      // The center's pop read alone, for the cold callers just rung (granted already, as at the offer).
      const { readOfferedCallerPop } = await import('../../server/src/lookup/screen-pop');
      const [agent] = await center.db.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = 'demo' AND username = 'agent1'`);
      const popRead: number[] = [];
      for (const c of coldCustomers.slice(0, COLD_SAMPLES)) {
        const r0 = nowMs();
        await readOfferedCallerPop(center.db, { tenantId: 'demo', userId: agent!.id }, c.id);
        popRead.push(nowMs() - r0);
      }
      const sorted = (xs: number[]) => xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
      // BENCH_RING_DUMP=1: each warm ring's stages on stderr, slowest last.
      if (process.env.BENCH_RING_DUMP) for (const s of [...warm].sort((a, b) => a.emitToPaint - b.emitToPaint)) process.stderr.write(`RING ${s.emitToPaint.toFixed(1)} desk ${s.stages.desktop.toFixed(1)} page ${s.stages.page.toFixed(1)} rend ${s.stages.renderer.toFixed(1)} wire ${s.stages.wire.toFixed(1)}\n`);
      const warmPaint = sorted(warm.map((s) => s.toPaint));
      const warmEmitPaint = sorted(warm.map((s) => s.emitToPaint));
      const warmEmitReceipt = sorted(warm.map((s) => s.emitToReceipt));
      const coldEmitPaint = sorted(cold.map((s) => s.emitToPaint));
      const coldPaint = sorted(cold.map((s) => s.toPaint));
      const wire = sorted([...warm, ...cold].map((s) => s.toWire));
      const load = os.loadavg().map((l) => l.toFixed(1)).join('/');
      const p = percentile;
      // The baseline beside each warm emit→paint figure is emit→renderer receipt (the desktop's relay
      // only), so the ratio shows what the pop and its paint add.
      const rows: BenchRow[] = [
        { figure: `warm emit→paint p50 (local pop, ${CUSTOMERS} local customers; load ${load})`, unit: 'ms', value: p(warmEmitPaint, 50), baseline: p(warmEmitReceipt, 50) },
        {
          figure: `warm emit→paint p95 (n=${warmEmitPaint.length})`,
          unit: 'ms',
          value: p(warmEmitPaint, 95),
          baseline: p(warmEmitReceipt, 95),
          goal: { text: 'p95 ≤ 25 ms', met: p(warmEmitPaint, 95) <= 25 },
        },
        { figure: 'warm offer→paint p95 (incl. the center recording the call)', unit: 'ms', value: p(warmPaint, 95), baseline: p(wire, 95) },
        // Cold baseline: the center's lookup round trip to a bare client (what the desktop waits for at least).
        { figure: `cold emit→paint p50 (the pop pushed with the offer, n=${coldEmitPaint.length})`, unit: 'ms', value: p(coldEmitPaint, 50), baseline: p(sorted(centerLookup), 50) },
        {
          figure: 'cold emit→paint p95',
          unit: 'ms',
          value: p(coldEmitPaint, 95),
          baseline: p(sorted(centerLookup), 95),
          goal: { text: 'p95 ≤ 100 ms', met: p(coldEmitPaint, 95) <= 100 },
        },
        { figure: 'cold offer→paint p95', unit: 'ms', value: p(coldPaint, 95), baseline: p(wire, 95) },
        ...stageRows('warm', warm),
        ...stageRows('cold', cold),
        { figure: 'cold stage, center alone: the pop read (one statement, timed alone) p50', unit: 'ms', value: p(sorted(popRead), 50), baseline: null },
        { figure: 'cold stage, center alone: the pop read p95', unit: 'ms', value: p(sorted(popRead), 95), baseline: null },
      ];
      return rows;
    } finally {
      observer?.close();
      await bare?.stop();
      await browser.close().catch(() => undefined);
      await desktop?.stop();
      await center.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

export default bench;
