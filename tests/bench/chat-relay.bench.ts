// Issue 25: a visitor's chat message → the agent's screen, with 1,000 open chats on one center node.
// A center in the bench process (on a throw-away PostgreSQL; BENCH_CHANNELS_PGLITE=1 for in-memory
// PGlite) with 1,000 web chat visitors connected to /visitor (sessions opened as POST /chat/session
// opens them), each chat accepted by one of 25 agents (chat capacity 50 each, set through the capacity
// API) signed in over socket.io as the desktop is. Then visitors write, round-robin, at a steady 50
// messages/s (one per visitor every 20 s: far below the per-visitor flood limit), and the time from the
// visitor's emit to the holding agent's socket receiving `conversation:message` is measured. Baseline,
// in the same run and on the same schedule: a bare socket.io server with the same 1,000 + 25 clients
// that forwards each visitor message to its agent's room (no database, no routing). Everything runs on
// 127.0.0.1 and is bounded in count and time; every socket, the servers and the database are stopped.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import { EVENTS, type ConversationMessage, type ConversationOffered } from '../../shared/protocol/index';
import { VISITOR_EVENTS } from '../../shared/protocol/webchat';
import { openVisitorSession } from '../../server/src/channels/chat/visitors';
import { RATE_REFILL_MS, VISITOR_NAMESPACE } from '../../server/src/channels/chat/namespace';
import { dbSummary, watchDb } from './center-floor-load.bench';
import { percentile, type Benchmark, type BenchRow } from './harness';
import { benchDatabase, connectAgents, connectAll, machineLoad, paced, setUpChannelTenant, startBenchCenter, until } from './channels-support';

const VISITORS = Number(process.env.BENCH_CHAT_VISITORS ?? 1000);
const AGENTS = Number(process.env.BENCH_CHAT_AGENTS ?? 25);
const CAPACITY = 50; // the capacity API's most; AGENTS × CAPACITY ≥ VISITORS
const RATE = Number(process.env.BENCH_CHAT_RATE ?? 50);
const MESSAGES = Number(process.env.BENCH_CHAT_MESSAGES ?? 1500);
const WARMUP = 100;
const OPENING = 8; // visitors opening their chat at once
const TENANT = 'chatbench';
const TEXT = 'Hello, my order has not arrived yet; could you check where it is?';

type Ack = { ok: boolean; error?: { code: string; message: string } };
let began = performance.now();
const progress = (what: string) => process.stderr.write(`\n  [chat-relay ${((performance.now() - began) / 1000).toFixed(1)} s] ${what}`);
/** An ack, or the reason there was none (a dropped socket, a timeout) as a refusal. */
const acked = (p: Promise<unknown>): Promise<Ack> => p.then((a) => a as Ack, (err: unknown) => ({ ok: false, error: { code: 'no ack', message: String(err) } }));

interface Relay {
  url: string;
  visitorAuth(i: number): Record<string, unknown>;
  /** The agents' sockets, already connected and listening. */
  agents: Socket[];
  stop(): Promise<void>;
}

/**
 * Sends WARMUP + MESSAGES visitor messages round-robin at RATE; each is timed from the emit to an agent
 * socket hearing it (`heard(text)` is called by the agents' listeners). Returns the sorted latencies of
 * the measured messages and what failed.
 */
async function drive(visitors: Socket[], hear: (onHeard: (text: string) => void) => void, runTag: string) {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  /** Second of the run → messages sent in it that took over 150 ms: a stall shows as a run of seconds. */
  const slowBySecond = new Map<number, number>();
  const started = performance.now();
  let heard = 0;
  hear((text) => {
    const t = sentAt.get(text);
    if (t === undefined) return;
    sentAt.delete(text);
    heard += 1;
    if (text.includes(' w#')) return;
    const ms = performance.now() - t;
    latencies.push(ms);
    const second = Math.floor((t - started) / 1000);
    if (ms > 150) slowBySecond.set(second, (slowBySecond.get(second) ?? 0) + 1);
  });
  const refused: string[] = [];
  const total = WARMUP + MESSAGES;
  const seconds = await paced(total, RATE, (i) => {
    const text = `${TEXT} [${runTag} ${i < WARMUP ? 'w' : 'm'}#${i}]`;
    sentAt.set(text, performance.now());
    void acked(visitors[i % visitors.length]!.timeout(30_000).emitWithAck(VISITOR_EVENTS.send, { clientMessageId: randomUUID(), text })).then((a) => {
      if (!a.ok) refused.push(a.error?.code ?? 'refused');
    });
  });
  await until(() => heard + refused.length >= total, 30_000, () => `${heard} of ${total} messages reached an agent, ${refused.length} refused`);
  return { latencies: latencies.sort((a, b) => a - b), refused, seconds, slow: [...slowBySecond].map(([sec, n]) => `${sec}s:${n}`).join(' ') || 'none' };
}

/** The baseline: socket.io alone, relaying each visitor message to its agent's room and acknowledging it. */
async function startBareRelay(): Promise<Relay & { listen(onHeard: (text: string) => void): void }> {
  const server = http.createServer();
  const io = new Server(server);
  io.on('connection', (s) => void s.join(`agent:${String((s.handshake.auth as { agent?: unknown }).agent)}`));
  io.of(VISITOR_NAMESPACE).on('connection', (s) => {
    const agent = String((s.handshake.auth as { agent?: unknown }).agent);
    const conversationId = randomUUID();
    let seq = 0;
    s.on(VISITOR_EVENTS.send, (m: { text: string }, ack: (a: Ack) => void) => {
      seq += 1;
      io.to(`agent:${agent}`).emit(EVENTS.conversationMessage, { message: { conversationId, seq, direction: 'in', text: m.text } });
      ack({ ok: true });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const agents = await connectAll(url, Array.from({ length: AGENTS }, (_, a) => ({ agent: a })));
  return {
    url,
    agents,
    visitorAuth: (i) => ({ agent: i % AGENTS }),
    listen: (onHeard) => agents.forEach((s) => s.on(EVENTS.conversationMessage, (p: { message: { text: string } }) => onHeard(p.message.text))),
    stop: async () => {
      for (const s of agents) s.close();
      await io.close();
      // io.close() closes the http server too.
    },
  };
}

async function baselinePhase(runTag: string) {
  progress('baseline: connecting');
  const relay = await startBareRelay();
  let visitors: Socket[] = [];
  try {
    visitors = await connectAll(`${relay.url}${VISITOR_NAMESPACE}`, Array.from({ length: VISITORS }, (_, i) => relay.visitorAuth(i)));
    progress(`baseline: ${visitors.length} visitors connected; sending`);
    return await drive(visitors, relay.listen, runTag);
  } finally {
    for (const s of visitors) s.close();
    await relay.stop();
  }
}

async function centerPhase(runTag: string) {
  const database = await benchDatabase('chat-relay');
  const center = await startBenchCenter(database.options);
  const sockets: Socket[] = [];
  try {
    const agentRows = await setUpChannelTenant(center.db, { tenant: TENANT, channel: 'chat', agents: AGENTS, capacity: CAPACITY });
    // Each agent accepts what they are offered at once, as a desktop's accept button would be pressed.
    let accepted = 0;
    const acceptFailures: string[] = [];
    const onMessage: Array<(text: string) => void> = [];
    const agents = await connectAgents(center, TENANT, agentRows, (s) => {
      s.on(EVENTS.conversationOffered, (o: ConversationOffered) => {
        void acked(s.timeout(60_000).emitWithAck(EVENTS.conversationAccept, { conversationId: o.conversation.id })).then((a) =>
          a.ok ? (accepted += 1) : acceptFailures.push(a.error?.code ?? 'refused'),
        );
      });
      s.on(EVENTS.conversationMessage, (p: { message: ConversationMessage }) => {
        if (p.message.direction === 'in') for (const f of onMessage) f(p.message.text);
      });
    });
    sockets.push(...agents);
    progress(`center: ${agents.length} agents connected; opening ${VISITORS} visitor sessions`);

    // The visitors: sessions as POST /chat/session opens them (that route allows 20 a minute per address).
    const tokens: string[] = [];
    for (let i = 0; i < VISITORS; i++) tokens.push((await openVisitorSession(center.db, { tenant: TENANT, name: `Visitor ${i}` })).token);
    const visitors = await connectAll(`${center.url}${VISITOR_NAMESPACE}`, tokens.map((token) => ({ token })));
    sockets.push(...visitors);
    const dropped: string[] = [];
    for (const s of [...agents, ...visitors]) s.on('disconnect', (reason) => dropped.push(reason) === 1 && progress(`a socket dropped: ${reason}`));
    progress(`center: ${visitors.length} visitors connected; opening their chats`);

    // Every visitor opens their chat (OPENING at a time: the center stores, routes and offers each), and
    // every chat is offered and accepted before the measured messages.
    const refusedOpening: Ack[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: OPENING }, async () => {
        for (let i = next++; i < VISITORS; i = next++) {
          const a = await acked(visitors[i]!.timeout(120_000).emitWithAck(VISITOR_EVENTS.send, { clientMessageId: randomUUID(), text: `Hi, I am visitor ${i}` }));
          if (!a.ok) refusedOpening.push(a);
          if (i % 200 === 199) progress(`center: ${i + 1} chats opened, ${accepted} accepted, ${dropped.length} sockets dropped`);
        }
      }),
    );
    if (refusedOpening.length) throw new Error(`chat-relay: ${refusedOpening.length} opening messages refused (${JSON.stringify(refusedOpening[0])})`);
    const openedAt = performance.now();
    progress(`center: ${VISITORS} chats opened, ${accepted} accepted so far`);
    await until(() => accepted + acceptFailures.length >= VISITORS, 300_000, () => `${accepted} of ${VISITORS} chats accepted`);
    if (acceptFailures.length) throw new Error(`chat-relay: ${acceptFailures.length} accepts failed (${acceptFailures[0]})`);
    const allAcceptedS = (performance.now() - openedAt) / 1000;
    const [open] = await center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversations WHERE tenant_id = $1 AND channel = 'chat' AND state = 'active'`, [TENANT]);

    progress(`center: ${open!.n} chats active; sending`);
    const stats = watchDb(center.db);
    const result = await drive(visitors, (f) => onMessage.push(f), runTag);
    const db = stats.take();
    if (dropped.length > 0) throw new Error(`chat-relay: ${dropped.length} sockets dropped during the run (${dropped[0]})`);
    return { ...result, db, openChats: open!.n, allAcceptedS, driver: database.driver };
  } finally {
    for (const s of sockets) s.off('disconnect').close();
    await center.stop();
    await database.stop();
  }
}

const bench: Benchmark = {
  name: 'chat-relay',
  async run(): Promise<BenchRow[]> {
    // Each visitor writes once every VISITORS / RATE seconds: it must stay under the flood limit's refill.
    if (RATE / VISITORS >= 1000 / RATE_REFILL_MS) throw new Error(`chat-relay: ${RATE} messages/s over ${VISITORS} visitors would hit the per-visitor flood limit`);
    began = performance.now();
    const loadBefore = machineLoad();
    const runTag = randomUUID().slice(0, 8);
    const base = await baselinePhase(runTag);
    const center = await centerPhase(runTag);
    const loadAfter = machineLoad();
    const scale = `${center.openChats} open chats, ${AGENTS} agents, ${RATE} msg/s, ${center.driver}`;
    process.stderr.write(
      `\n  chat-relay: ${scale}; machine load before ${loadBefore}, after ${loadAfter}\n` +
        `  center: ${center.latencies.length} of ${MESSAGES} measured messages heard (${center.refused.length} refused: ${[...new Set(center.refused)].join(', ') || 'none'}), ` +
        `sent in ${center.seconds.toFixed(1)} s; all ${VISITORS} chats accepted ${center.allAcceptedS.toFixed(1)} s after the last opening message\n` +
        `  center: messages over 150 ms by the second they were sent in: ${center.slow}\n` +
        `  baseline: ${base.latencies.length} heard (${base.refused.length} refused), sent in ${base.seconds.toFixed(1)} s\n` +
        dbSummary(center.db),
    );
    if (center.openChats < VISITORS) throw new Error(`chat-relay: only ${center.openChats} of ${VISITORS} chats were open when the messages were sent`);
    const rows: BenchRow[] = [];
    for (const p of [50, 95, 99]) {
      const value = percentile(center.latencies, p);
      rows.push({
        figure: `visitor message → agent's socket p${p} [${scale}; load ${loadAfter.split(' (')[0]}]`,
        unit: 'ms',
        value,
        baseline: percentile(base.latencies, p),
        goal: p === 95 ? { text: 'p95 ≤ 150 ms', met: value <= 150 } : undefined,
      });
    }
    rows.push({
      figure: `visitor messages heard by an agent (of ${MESSAGES})`,
      unit: 'msgs',
      value: center.latencies.length,
      baseline: base.latencies.length,
      goal: { text: 'all', met: center.latencies.length === MESSAGES && center.refused.length === 0 },
    });
    return rows;
  },
};
export default bench;
