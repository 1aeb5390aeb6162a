// A CTI owner dies with calls in its queue: the next owner rebuilds them from the journal (a real
// database, PGlite and PostgreSQL) and carries on under the same interaction ids and entry times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import { AcdSimulator } from '../cti/acd/simulator';
import { createVirtualClock } from '../cti/acd/clock';
import { type AcdQueueConfig } from '../cti/acd/calls';
import { CtiEvent } from '../floor/model/cti-events';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { createPrng } from '../base/random';
import { AgentStates } from '../floor/model/agent-state';
import { createCtiJournalWriter, foldOpenCalls, journalSince, openCallsFromJournal } from './cti-journal';
import { resumeCtiFromJournal } from './cti-takeover';
import type { ClusterLog } from './redis-adapter';

const START = Date.UTC(2026, 10, 25, 1, 0, 0);
const TENANT = 'takeover';
const support: AcdQueueConfig = { id: 'support', arrivalsPerHour: 0, meanPatienceSec: 100_000, meanTalkSec: 120, meanWrapUpSec: 20 };
const quiet: ClusterLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One center node's CTI side: its own clock, agent states, simulator and journal writer. */
function ctiNode(db: Db, name: string, clockStart: number, seed: number) {
  const clock = createVirtualClock(clockStart);
  const agents = new AgentStates({ now: clock.now, queueSettings: () => ({ wrapUp: true, wrapUpLimitSec: null }) });
  const handedOn: CtiEvent[] = [];
  const journal = createCtiJournalWriter(db, { tenantId: TENANT, node: name, log: quiet, onRecorded: (e) => handedOn.push(e) });
  const emitted: CtiEvent[] = [];
  const sim = new AcdSimulator({
    clock,
    random: createPrng(seed),
    agents,
    queues: [support],
    dnis: '+8215880000',
    callerNumbers: ['+821012345678'],
    onEvent: (e) => {
      emitted.push(CtiEvent.parse(e));
      journal.record(e);
    },
  });
  return { clock, agents, sim, journal, emitted, handedOn };
}

forEachDriver('CTI takeover from the journal', ({ freshDatabase }) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Takeover test')`, [TENANT]);
  });
  afterAll(async () => {
    await db.close();
  });

  it('queued calls keep their ids, order and waiting time on the new owner; a call in talk stays with its agent', async () => {
    // Node A owns CTI: a1 ends one call, a2 is talking on another, three callers wait.
    const a = ctiNode(db, 'node-a', START, 1);
    for (const agent of ['a1', 'a2']) {
      a.agents.register(agent, ['support']);
      a.agents.setByAgent(agent, 'available');
    }
    a.sim.start();
    const ended = a.sim.placeCall('support');
    const inTalk = a.sim.placeCall('support');
    a.sim.advanceBy(2_000);
    const ringingOnA = a.sim.callOf('a1')?.interactionId === ended ? 'a1' : 'a2';
    a.sim.answer(ringingOnA);
    a.sim.answer(ringingOnA === 'a1' ? 'a2' : 'a1');
    const talker = a.sim.callOf('a1')?.interactionId === inTalk ? 'a1' : 'a2';
    a.sim.hangUp(talker === 'a1' ? 'a2' : 'a1');
    const waiting = [];
    for (let i = 0; i < 3; i++) {
      a.sim.advanceBy(5_000);
      waiting.push(a.sim.placeCall('support'));
    }
    a.sim.advanceBy(30_000);
    const waitingOnA = a.sim.waitingIn('support');
    expect(waitingOnA.map((c) => c.interactionId)).toEqual(waiting);
    await a.journal.flush();
    expect(a.handedOn).toEqual(a.emitted); // written, then handed on, in order
    a.sim.close(); // node A dies here: nothing more comes from it

    // Node B takes over 20 s later. Its agent states know the talker is still on the call (the
    // center restores them from the agent-state audit); b1 has just signed in.
    const b = ctiNode(db, 'node-b', START + 69_000, 2);
    b.agents.register(talker, ['support']);
    b.agents.setByAgent(talker, 'available');
    b.agents.setBySystem(talker, { to: 'ringing', interactionId: inTalk, queue: 'support' }, 'restored');
    b.agents.setBySystem(talker, { to: 'on_call', interactionId: inTalk, queue: 'support' }, 'restored');
    b.agents.register('b1', ['support']);
    const replayed: CtiEvent[] = [];
    const r = await resumeCtiFromJournal(db, {
      tenantId: TENANT,
      simulator: b.sim,
      replayFrom: new Date(START - 60_000),
      replay: (e) => replayed.push(e),
      now: START + 69_000,
    });
    expect(r).toEqual({ replayed: a.emitted.length, queued: 3, attached: 1, ended: 0, skipped: 0 });
    expect(replayed).toEqual(a.emitted);
    expect(b.sim.waitingIn('support')).toEqual(waitingOnA);
    expect(b.sim.callOf(talker)).toEqual({ interactionId: inTalk, queue: 'support', state: 'connected' });
    expect(b.emitted).toEqual([]); // nothing re-offered: metrics would count those calls twice

    // b1 becomes available: the oldest waiting caller rings b1, and the hold time counts from entry on A.
    b.sim.start();
    b.agents.setByAgent('b1', 'available');
    b.sim.advanceBy(1_000);
    expect(b.sim.callOf('b1')?.interactionId).toBe(waiting[0]);
    b.sim.answer('b1');
    const answered = b.emitted.find((e) => e.type === 'call_answered');
    expect(answered).toMatchObject({ interactionId: waiting[0], agent: 'b1' });
    const enteredAt = (waitingOnA[0] as { waitingSinceMs: number }).waitingSinceMs;
    expect(answered && 'holdTimeSec' in answered ? answered.holdTimeSec : -1).toBe(Math.floor((b.clock.now() - enteredAt) / 1000));
    await b.journal.flush();

    // The journal now tells a third owner what B did.
    const open = await openCallsFromJournal(db, TENANT, { now: b.clock.now() });
    expect(open.map((c) => [c.interactionId, c.state, c.agent])).toEqual([
      [inTalk, 'connected', talker],
      [waiting[0], 'connected', 'b1'],
      [waiting[1], 'waiting', null],
      [waiting[2], 'waiting', null],
    ]);
    const all = await journalSince(db, TENANT, new Date(START - 60_000));
    expect(all).toEqual([...a.emitted, ...b.emitted]);
  });
});

describe('foldOpenCalls', () => {
  const base = { ani: '+821012345678', dnis: '+8215880000', queue: 'support' };
  const at = (s: number) => new Date(START + s * 1000).toISOString();
  const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

  it('drops ended and abandoned calls, follows holds and transfers, and sorts by entry', () => {
    const events: CtiEvent[] = [
      { type: 'call_offered', ...base, interactionId: id(1), at: at(0) },
      { type: 'call_offered', ...base, interactionId: id(2), at: at(1) },
      { type: 'call_offered', ...base, interactionId: id(3), at: at(2) },
      { type: 'call_ringing', ...base, interactionId: id(1), at: at(3), agent: 'a1' },
      { type: 'call_answered', ...base, interactionId: id(1), at: at(4), agent: 'a1', holdTimeSec: 4 },
      { type: 'call_held', ...base, interactionId: id(1), at: at(5), agent: 'a1' },
      { type: 'call_abandoned', ...base, interactionId: id(2), at: at(6), holdTimeSec: 5, position: 1, originalPosition: 2 },
      { type: 'call_ringing', ...base, interactionId: id(3), at: at(7), agent: 'a2' },
      { type: 'call_answered', ...base, interactionId: id(3), at: at(8), agent: 'a2', holdTimeSec: 6 },
      { type: 'call_transferred', ...base, interactionId: id(3), at: at(9), agent: 'a2', target: 'queue:sales' },
      { type: 'call_offered', ...base, queue: 'sales', interactionId: id(3), at: at(9) },
      { type: 'call_offered', ...base, interactionId: id(4), at: at(10) },
      { type: 'call_ended', ...base, interactionId: id(4), at: at(11), agent: null, talkTimeSec: null, endedBy: 'caller' },
    ];
    expect(foldOpenCalls(events)).toEqual([
      { interactionId: id(1), ani: base.ani, queue: 'support', enteredAt: START, state: 'held', agent: 'a1', answered: true, legStartedAt: START + 4000 },
      { interactionId: id(3), ani: base.ani, queue: 'sales', enteredAt: START + 9000, state: 'waiting', agent: null, answered: false, legStartedAt: null },
    ]);
  });
});
