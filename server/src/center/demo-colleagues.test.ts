// The living demo floor against a real center (the demo seeded on PGlite, socket.io over loopback),
// with short handle times and looks at the floor: the colleagues sign in and work calls, write notes
// and raise VOC items through the sync push (routed, pulled by a desktop), take breaks and come back,
// step aside for a person who signs in as one of them, and stop with the center.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ScreenPop } from '../../../shared/domain';
import { ConversationOffered, EVENTS, PullResponse, SCHEMA_VERSION, type AgentStateUpdate } from '../../../shared/protocol';
import { channelsOf, startCenter, type RunningCenter } from '../index';
import { desktop, ok, type Desktop } from '../testing/center-client';

const COLLEAGUES = ['agent2', 'agent3', 'agent4', 'agent5'];
const BREAKS = ['break', 'meal', 'training', 'meeting'];

describe('the demo floor: simulated colleagues', () => {
  let center: RunningCenter;
  let supervisor: Desktop;
  const updates: Array<AgentStateUpdate & { seenAt: number }> = [];
  const intervals = new Set<unknown>();
  const cleared = new Set<unknown>();
  let startedAt = 0;

  beforeAll(async () => {
    // Every interval the center starts (the simulator, the floor, the VOC workers, the colleagues), to see them all cleared at stop.
    const realSet = globalThis.setInterval;
    const realClear = globalThis.clearInterval;
    vi.spyOn(globalThis, 'setInterval').mockImplementation(((fn: () => void, ms?: number) => {
      const t = realSet(fn, ms);
      intervals.add(t);
      return t;
    }) as typeof setInterval);
    vi.spyOn(globalThis, 'clearInterval').mockImplementation(((t?: Parameters<typeof clearInterval>[0]) => {
      cleared.add(t);
      realClear(t);
    }) as typeof clearInterval);
    startedAt = Date.now();
    center = await startCenter({
      port: 0,
      demo: true,
      logLevel: 'silent',
      simulate: {
        offerIntervalMs: [1_500, 2_500],
        handleTimeMs: [1_200, 2_000],
        unknownCallerShare: 0,
        colleagues: { count: COLLEAGUES.length, except: ['agent1'], stepMs: 150, breakChance: 0.15, meanBreakMs: 1_200, forcedRestMs: 2_000, noteShare: 1, vocShare: 0.5 },
      },
    });
    // The admin watches (super1 takes calls too, and would be on the floor himself).
    supervisor = await desktop(center.url, 'demo', 'admin', undefined, (s) => s.on(EVENTS.agentState, (u: AgentStateUpdate) => updates.push({ ...u, seenAt: Date.now() })));
  }, 60_000);
  afterAll(async () => {
    supervisor?.close();
    await center?.stop();
    vi.restoreAllMocks();
  });

  it('signs the colleagues in: the floor shows several agents in several states, never the desktop user', async () => {
    await vi.waitFor(
      () => {
        const agents = new Set(updates.map((u) => u.agent));
        for (const a of COLLEAGUES) expect(agents).toContain(a);
        expect(new Set(updates.filter((u) => COLLEAGUES.includes(u.agent)).map((u) => u.state)).size).toBeGreaterThanOrEqual(4);
      },
      { timeout: 20_000, interval: 200 },
    );
    // Only the colleagues asked for, and not agent1 (left to the desktop).
    expect(updates.map((u) => u.agent).filter((a) => !COLLEAGUES.includes(a))).toEqual([]);
  }, 30_000);

  it("writes notes and raises VOC items through the sync push: logged, routed, and in the customer's history on another desktop", async () => {
    const ids = (await center.db.query<{ id: string; username: string }>(`SELECT id, username FROM users WHERE tenant_id = 'demo' AND username = ANY($1)`, [COLLEAGUES])).map((r) => r.id);
    const since = new Date(startedAt);
    await vi.waitFor(
      async () => {
        const [n] = await center.db.query<{ notes: number; logged: number; voc: number; routed: number }>(
          `SELECT (SELECT count(*)::int FROM notes WHERE author_user_id = ANY($1::uuid[]) AND created_at >= $2) AS notes,
                  (SELECT count(*)::int FROM change_log l JOIN notes n ON n.id::text = l.entity_id
                    WHERE l.entity = 'note' AND n.author_user_id = ANY($1::uuid[]) AND n.created_at >= $2) AS logged,
                  (SELECT count(*)::int FROM voc_items WHERE created_by_user_id = ANY($1::uuid[]) AND created_at >= $2) AS voc,
                  (SELECT count(*)::int FROM voc_items WHERE created_by_user_id = ANY($1::uuid[]) AND created_at >= $2 AND number IS NOT NULL
                      AND (department_id IS NOT NULL OR status <> 'raised')) AS routed`,
          [ids, since],
        );
        expect(n!.notes).toBeGreaterThanOrEqual(3);
        expect(n!.logged).toBe(n!.notes);
        expect(n!.voc).toBeGreaterThanOrEqual(1);
        expect(n!.routed).toBe(n!.voc);
      },
      { timeout: 30_000, interval: 500 },
    );
    // Each note is on the call the colleague was offered, in the customer's language, with a disposition.
    const notes = await center.db.query<{ text: string; language: string; agent_user_id: string; author_user_id: string; disposition: string | null }>(
      `SELECT n.text, c.language, i.agent_user_id, n.author_user_id, i.disposition FROM notes n
         JOIN interactions i ON i.id = n.interaction_id JOIN customers c ON c.id = n.customer_id
        WHERE n.author_user_id = ANY($1::uuid[]) AND n.created_at >= $2`,
      [ids, since],
    );
    for (const n of notes) {
      expect(n.agent_user_id).toBe(n.author_user_id);
      expect(n.text.length).toBeGreaterThan(10);
      if (n.language === 'ko') expect(n.text).toMatch(/[가-힣]/);
      else expect(n.text).toMatch(/^[\x20-\x7e]+$/);
    }
    expect(notes.some((n) => n.disposition !== null)).toBe(true);
    // The VOC items are in every department desk's history: raised by the colleague, then routed.
    const [history] = await center.db.query<{ raised: number }>(
      `SELECT count(*)::int AS raised FROM voc_history h JOIN voc_items v ON v.id = h.voc_id
        WHERE v.created_by_user_id = ANY($1::uuid[]) AND v.created_at >= $2 AND h.action = 'raise'`,
      [ids, since],
    );
    expect(history!.raised).toBeGreaterThanOrEqual(1);
    // Another agent's desktop finds both in the customer's history: the call with the colleague's note and VOC item.
    const [raised] = await center.db.query<{ voc_id: string; customer_id: string; interaction_id: string; text: string }>(
      `SELECT v.id::text AS voc_id, v.customer_id::text AS customer_id, v.interaction_id::text AS interaction_id, n.text
         FROM voc_items v JOIN notes n ON n.interaction_id = v.interaction_id AND n.author_user_id = v.created_by_user_id
        WHERE v.created_by_user_id = ANY($1::uuid[]) AND v.created_at >= $2 LIMIT 1`,
      [ids, since],
    );
    const agent = await desktop(center.url, 'demo', 'agent1');
    try {
      const pop = ScreenPop.parse(ok(await agent.call('customer:lookup', { by: 'id', value: raised!.customer_id, reason: 'search' })));
      const call = pop.history.find((h) => h.id === raised!.interaction_id);
      expect(call?.notes.map((n) => n.text)).toContain(raised!.text);
      expect(call?.vocItems.map((v) => v.id)).toContain(raised!.voc_id);
    } finally {
      agent.close();
    }
  }, 40_000);

  it('takes breaks with a reason code and comes back', async () => {
    await vi.waitFor(
      () => {
        const back = updates.some((u, i) => {
          if (!COLLEAGUES.includes(u.agent) || u.state !== 'not_ready' || !BREAKS.includes(u.reason ?? '') || u.by !== 'agent') return false;
          const next = updates.slice(i + 1).find((v) => v.agent === u.agent);
          return next?.state === 'available' && next.by === 'agent';
        });
        expect(back).toBe(true);
      },
      { timeout: 20_000, interval: 200 },
    );
  }, 30_000);

  it('never offers a chat to a colleague (they have no desktop): it waits for a person, then goes to them', async () => {
    const chat = await channelsOf(center)!.inbound({ tenantId: 'demo', channel: 'chat', identity: { chatVisitorId: 'visitor-demo-floor' }, text: 'Hello?' });
    // Several routing passes (one a second) with colleagues available: nobody is offered it.
    await vi.waitFor(() => expect(updates.some((u) => COLLEAGUES.includes(u.agent) && u.state === 'available')).toBe(true), { timeout: 20_000 });
    await new Promise((r) => setTimeout(r, 3_000));
    const [waiting] = await center.db.query<{ state: string; to: string | null }>(
      'SELECT c.state, u.username AS to FROM conversations c LEFT JOIN users u ON u.id = c.offered_to WHERE c.id = $1',
      [chat.conversationId],
    );
    // Queued, or offered to a person whose desktop is connected (agent1's, from a test above): never to a colleague.
    expect(COLLEAGUES).not.toContain(waiting!.to);
    expect(waiting!.state === 'queued' || waiting!.to === 'agent1').toBe(true);
    const offeredTo = await center.db.query<{ username: string }>(
      `SELECT DISTINCT u.username FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.customer_id = $1`,
      [chat.customerId],
    );
    for (const r of offeredTo) expect(COLLEAGUES).not.toContain(r.username);
    // The person at agent1's desktop is offered it. Chats are routed once a second to an agent available
    // then, while the simulator rings an agent the moment they are available if calls wait, and the
    // demo's script answers agent1's calls too: left to the script, agent1 may go from call to call for
    // longer than the wait below. So the person does what one waiting for a chat does: ends each call
    // that reaches them and its wrap-up at once. The script then rings them no more until its handle
    // time for that call is over, and a routing pass finds them available meanwhile.
    const offered: ConversationOffered[] = [];
    const worked = new Set<string>();
    const person = await desktop(center.url, 'demo', 'agent1', undefined, (s) => {
      s.on(EVENTS.conversationOffered, (m: unknown) => offered.push(ConversationOffered.parse(m)));
      s.on(EVENTS.agentState, (u: AgentStateUpdate) => {
        if (u.agent !== 'agent1' || u.interactionId === null || offered.length > 0) return;
        const act = (action: 'answer' | 'hangup' | 'finishWrapUp') => s.timeout(10_000).emitWithAck(EVENTS.callControl, { interactionId: u.interactionId, action }).catch(() => undefined);
        // A refusal (the script answered first, the caller hung up) leaves the call to the next update.
        if (u.state === 'ringing') void act('answer');
        else if (u.state === 'on_call' || u.state === 'on_hold') void act('hangup');
        else if (u.state === 'wrap_up') void act('finishWrapUp').then(() => worked.add(u.interactionId!));
      });
    });
    try {
      await vi.waitFor(() => expect(offered.map((o) => o.conversation.id), `offered after the person worked ${worked.size} calls`).toContain(chat.conversationId), { timeout: 15_000 });
      ok(await person.call(EVENTS.conversationAccept, { conversationId: chat.conversationId }));
      ok(await person.call(EVENTS.conversationClose, { conversationId: chat.conversationId }));
    } finally {
      person.close();
    }
  });

  it('steps aside for a person who signs in as a colleague, who then pulls what the colleague wrote', async () => {
    const taken = 'agent3';
    const own: AgentStateUpdate[] = [];
    const person = await desktop(center.url, 'demo', taken, undefined, (s) => s.on(EVENTS.agentState, (u: AgentStateUpdate) => own.push(u)));
    try {
      // A look at the floor (every 150 ms) and a write in flight later, the colleague no longer drives
      // agent3; on a loaded machine a look already under way can take a second or more.
      await new Promise((r) => setTimeout(r, 2_500));
      // The person finds agent3 as the colleague left them; back from a break, they make themself available.
      await vi.waitFor(() => expect(own.length).toBeGreaterThan(0), { timeout: 5_000 });
      if (own.at(-1)!.state === 'not_ready') ok(await person.call(EVENTS.setAgentState, { state: 'available' }));
      const from = Date.now();
      const [user] = await center.db.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = 'demo' AND username = $1`, [taken]);
      // agent3 is still on the floor: the simulator's calls keep ringing them (the script every agent has)…
      await vi.waitFor(() => expect(updates.some((u) => u.agent === taken && u.seenAt >= from && u.state === 'wrap_up')).toBe(true), { timeout: 20_000, interval: 200 });
      await vi.waitFor(() => expect(updates.filter((u) => u.agent === taken && u.seenAt >= from && u.state === 'available').length).toBeGreaterThanOrEqual(2), {
        timeout: 20_000,
        interval: 200,
      });
      // …while the other colleagues still go on breaks, agent3 takes none, and writes no note: the person does.
      await vi.waitFor(() => expect(updates.some((u) => u.agent !== taken && u.seenAt >= from && u.state === 'not_ready' && u.by === 'agent')).toBe(true), {
        timeout: 20_000,
        interval: 200,
      });
      expect(updates.filter((u) => u.agent === taken && u.seenAt >= from && u.state === 'not_ready')).toEqual([]);
      const [late] = await center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes WHERE author_user_id = $1 AND created_at >= $2', [user!.id, new Date(from)]);
      expect(late!.n).toBe(0);
      // What the colleague wrote as agent3 reaches agent3's desktop through the pull.
      const [written] = await center.db.query<{ id: string }>('SELECT id::text AS id FROM notes WHERE author_user_id = $1 AND created_at >= $2 LIMIT 1', [user!.id, new Date(startedAt)]);
      expect(written).toBeDefined();
      const seen = new Set<string>();
      let cursor: string | null = null;
      for (let i = 0; i < 100; i += 1) {
        const page = PullResponse.parse(ok(await person.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor, limit: 5000 })));
        for (const c of page.changes) seen.add(c.id);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(seen).toContain(written!.id);
    } finally {
      person.close();
    }
  }, 90_000);

  it('leaves a colleague a supervisor forced not ready alone for a rest, then makes them ready again', async () => {
    const target = 'agent5';
    const from = Date.now();
    ok(await supervisor.call(EVENTS.forceAgentState, { agent: target, state: 'not_ready', reason: 'coaching' }));
    const forced = () => updates.find((u) => u.agent === target && u.seenAt >= from && u.state === 'not_ready' && u.by === 'supervisor');
    await vi.waitFor(() => expect(forced()).toBeDefined(), { timeout: 20_000, interval: 200 });
    await vi.waitFor(
      () => {
        const after = updates.filter((u) => u.agent === target && u.seenAt > forced()!.seenAt);
        expect(after[0]).toMatchObject({ state: 'available', by: 'agent' });
        // Not before the rest (2 s) was over.
        expect(after[0]!.seenAt - forced()!.seenAt).toBeGreaterThanOrEqual(1_800);
      },
      { timeout: 20_000, interval: 200 },
    );
  }, 45_000);

  it('stops every timer it started when the center stops', async () => {
    supervisor.close();
    await center.stop();
    const left = [...intervals].filter((t) => !cleared.has(t));
    expect(intervals.size).toBeGreaterThan(3);
    expect(left).toEqual([]);
  }, 30_000);
});
