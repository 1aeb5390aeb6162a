// The demo's telephony, run by the CTI owner: the ACD simulator on the first tenant with queues,
// every agent of the tenant driven by the demo's script (answered after 5 % of a handle time, ended by
// the caller, wrap-up done after the rest; a person at the desktop may act sooner). Callers arrive at
// the mean of the offer interval and wait in the queue. Each event is journaled, then counted and
// popped. With PostgreSQL, a new owner first replays today's journal into the metrics and takes the
// open calls over.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { createPrng } from '../base/random';
import { errSummary } from '../base/log';
import type { CallControl } from '../calls/call-control';
import type { CallIntake } from '../calls/intake';
import { createCtiJournalWriter } from '../cluster/cti-journal';
import { resumeCtiFromJournal } from '../cluster/cti-takeover';
import { acdCall } from '../cti/acd/call-control';
import { createVirtualClock } from '../cti/acd/clock';
import { AcdSimulator, type AcdSimulatorOptions } from '../cti/acd/simulator';
import type { Db } from '../db/db';
import { DEMO_CENTER_NUMBER } from '../demo/generate';
import type { Floor } from '../floor/floor';
import type { AgentState, AgentStates } from '../floor/model/agent-state';
import { startOfLocalDay } from '../floor/model/local-day';
import { CONNECT_SETTLE_MS } from '../io/connected-desktops';
import type { DemoColleagueOptions } from './demo-colleagues';

export interface DemoTelephonyOptions {
  offerIntervalMs?: [number, number];
  unknownCallerShare?: number;
  /** How long an offered agent stays busy (ring + talk + wrap-up). */
  handleTimeMs?: [number, number];
  /**
   * The other demo agents sign in and work (demo-colleagues.ts). Callers then arrive at the mean
   * offer interval per agent staffed, so each agent, the one at the desktop too, still gets a call
   * about every offer interval.
   */
  colleagues?: DemoColleagueOptions;
}

export interface DemoTelephonyDeps {
  db: Db;
  /** This node's own floor (it owns CTI). */
  floor: Pick<Floor, 'agentStates' | 'ingestMetrics'>;
  callControl: Pick<CallControl, 'own'>;
  intake: Pick<CallIntake, 'offer'>;
  /** The tenant seeded by --demo, preferred over the first tenant with queues. */
  demoTenant: string | null;
  /** Replay today's journal and adopt its open calls (several nodes on PostgreSQL). */
  resume: boolean;
  /** Names this node in the CTI journal. */
  node: string;
  log: Logger;
}

export const DEFAULT_OFFER_INTERVAL_MS: [number, number] = [20_000, 40_000];
export const DEFAULT_HANDLE_TIME_MS: [number, number] = [120_000, 240_000];
/** The demo's callers: mean patience in the queue, and how many wait at most per queue (more hear busy). */
const DEMO_PATIENCE_SEC = 90;
const DEMO_MAX_WAITING = 10;
/** Arrivals faster than this on average are not simulated (an offer interval of 0-0 would spin). */
const MIN_MEAN_ARRIVAL_GAP_MS = 10;
const SIMULATOR_TICK_MS = 200;

/** Agents who take calls now: signed in and not on a break. */
const STAFFED: ReadonlySet<AgentState> = new Set(['available', 'ringing', 'on_call', 'on_hold', 'wrap_up']);

/**
 * The demo's floor in the simulator: its queues and callers, and the script every agent (`players`)
 * follows. Callers arrive one per mean offer interval (`meanGapMs`); with colleagues, one per mean
 * offer interval for each agent staffed (at least one: the desktop's), as a share of the rate with
 * every player staffed. Either way each agent is offered a call about every offer interval.
 */
export function demoScript(s: {
  agents: AgentStates;
  queues: readonly string[];
  players: readonly string[];
  handleTimeMs: [number, number];
  meanGapMs: number;
  colleagues: boolean;
}): Pick<AcdSimulatorOptions, 'queues' | 'ringTimeoutSec' | 'maxWaitingPerQueue' | 'arrivalLoad' | 'simulated'> {
  const [handleMin, handleMax] = s.handleTimeMs;
  const meanHandleSec = (handleMin + handleMax) / 2000;
  const of = s.colleagues ? Math.max(1, s.players.length) : 1;
  return {
    queues: s.queues.map((id) => ({
      id,
      arrivalsPerHour: (3_600_000 / s.meanGapMs / s.queues.length) * of,
      meanPatienceSec: DEMO_PATIENCE_SEC,
      meanTalkSec: Math.max(1, meanHandleSec * 0.75),
      meanWrapUpSec: meanHandleSec * 0.2,
    })),
    arrivalLoad: of > 1 ? () => Math.min(of, Math.max(1, s.agents.list().filter((a) => STAFFED.has(a.state)).length)) / of : undefined,
    // The script answers after 5 % of the handle time: the ring must not time out first.
    ringTimeoutSec: Math.max(15, Math.ceil((handleMax / 1000) * 0.05) + 5),
    maxWaitingPerQueue: DEMO_MAX_WAITING,
    simulated: {
      agents: [...s.players],
      signIn: false,
      handleTimeSec: [handleMin / 1000, handleMax / 1000],
      answerAfterSec: [0, 0],
      missChance: 0,
      holdChance: 0,
      meanHoldSec: 30,
      transferToQueueChance: 0,
      transferToAgentChance: 0,
      callerHangsUpChance: 1,
      breakChance: 0,
      meanBreakSec: 60,
      backAfterMissSec: 30,
    },
  };
}

/** Starts the simulator; returns what stops it. */
export async function startDemoTelephony(cfg: DemoTelephonyOptions, deps: DemoTelephonyDeps): Promise<() => Promise<void>> {
  const { db, floor, log } = deps;
  const tenants = await db.query<{ id: string; time_zone: string }>('SELECT id, time_zone FROM tenants ORDER BY id');
  const tenant = tenants.find((t) => t.id === deps.demoTenant) ?? tenants[0];
  const tenantId = tenant?.id;
  const queues = tenantId ? (await db.query<{ id: string }>('SELECT id FROM queues WHERE tenant_id = $1 ORDER BY id', [tenantId])).map((q) => q.id) : [];
  if (!tenant || !tenantId || queues.length === 0) {
    log.warn('call simulator not started: no tenant with queues (start with --demo, or create queues first)');
    return async () => undefined;
  }
  const [handleMin, handleMax] = cfg.handleTimeMs ?? DEFAULT_HANDLE_TIME_MS;
  if (!(handleMin >= 0 && handleMax >= handleMin)) throw new Error(`Simulated handle time [${handleMin}, ${handleMax}] ms is not a range; give [min, max] with 0 <= min <= max.`);
  const [gapMin, gapMax] = cfg.offerIntervalMs ?? DEFAULT_OFFER_INTERVAL_MS;
  if (!(gapMin >= 0 && gapMax >= gapMin)) throw new Error(`Offer interval [${gapMin}, ${gapMax}] ms is not a range; give [min, max] with 0 <= min <= max.`);
  const meanGapMs = Math.max(MIN_MEAN_ARRIVAL_GAP_MS, (gapMin + gapMax) / 2);
  const knownNumbers = (
    await db.query<{ value: string }>(`SELECT value FROM customer_identities WHERE tenant_id = $1 AND kind = 'phone' ORDER BY value LIMIT 5000`, [tenantId])
  ).map((r) => r.value);
  const userIds = new Map(
    (await db.query<{ id: string; username: string }>(`SELECT id, username FROM users WHERE tenant_id = $1 AND (role = 'agent' OR takes_calls) AND NOT disabled ORDER BY username`, [tenantId])).map(
      (u) => [u.username, u.id] as const,
    ),
  );
  const agents = await floor.agentStates(tenantId);
  let live = true;
  const failed = (what: string) => (err: unknown) => log.warn({ err: errSummary(err), tenant: tenantId }, what);
  const journal = createCtiJournalWriter(db, {
    tenantId,
    node: deps.node,
    log,
    onRecorded: (e) => {
      if (!live) return;
      floor.ingestMetrics(tenantId, e).catch(failed('a simulated call event was not counted'));
      if (e.type !== 'call_ringing') return;
      const agentUserId = userIds.get(e.agent);
      if (!agentUserId) return;
      deps.callControl.own(tenantId, e.interactionId, e.agent, acdCall(sim, e.agent, e.interactionId, queues));
      deps.intake
        .offer({ tenantId, ani: e.ani, dnis: e.dnis, queue: e.queue, agentUserId, agentUsername: e.agent, interactionId: e.interactionId })
        .catch(failed('a simulated call was not offered to the agent'));
    },
  });
  const sim = new AcdSimulator({
    clock: createVirtualClock(Date.now()),
    random: createPrng(randomInt(2 ** 31)),
    agents,
    ...demoScript({ agents, queues, players: [...userIds.keys()], handleTimeMs: [handleMin, handleMax], meanGapMs, colleagues: Boolean(cfg.colleagues) }),
    dnis: DEMO_CENTER_NUMBER,
    callerNumbers: knownNumbers,
    unknownCallerShare: cfg.unknownCallerShare ?? 0.15,
    signInSettleMs: CONNECT_SETTLE_MS,
    onEvent: (e) => journal.record(e),
  });
  if (deps.resume) {
    const r = await resumeCtiFromJournal(db, {
      tenantId,
      simulator: sim,
      replayFrom: new Date(startOfLocalDay(Date.now(), tenant.time_zone)),
      replay: (e) => void floor.ingestMetrics(tenantId, e).catch(failed('a journaled call event was not counted')),
    });
    log.info({ tenant: tenantId, ...r }, 'CTI journal resumed');
  }
  sim.runRealtime(SIMULATOR_TICK_MS);
  log.info({ tenant: tenantId, queues: queues.length }, 'call simulator started');
  return async () => {
    sim.close();
    await journal.flush();
    live = false;
  };
}
