// What the ACD simulator is made of: its queues' configuration, the behaviour of the agents it
// plays, and the calls it carries.
import type { Timer } from './clock';

export interface AcdQueueConfig {
  id: string;
  /** Mean arrival rate (Poisson), calls per hour. 0 for a queue that only receives transfers. */
  arrivalsPerHour: number;
  /** Mean caller patience in seconds (exponential): a caller still waiting after it hangs up. */
  meanPatienceSec: number;
  /** Mean talk time of simulated agents, seconds (exponential, at least 5 s). */
  meanTalkSec: number;
  /** Mean wrap-up time of simulated agents, seconds (exponential). */
  meanWrapUpSec: number;
}

/** How the simulator plays the agents it drives; people use the call control methods instead. */
export interface SimulatedAgentBehaviour {
  agents: readonly string[];
  /** Seconds from ringing to answering, drawn uniformly. Keep the upper end below the ring timeout. */
  answerAfterSec: [number, number];
  /** Share of offered calls the agent lets ring out. */
  missChance: number;
  holdChance: number;
  meanHoldSec: number;
  /** At the end of the talk: share of calls transferred to another queue, and to another agent. */
  transferToQueueChance: number;
  transferToAgentChance: number;
  /** Share of calls the caller (not the agent) ends. */
  callerHangsUpChance: number;
  /** Share of wrap-ups followed by a break, and its mean length. */
  breakChance: number;
  meanBreakSec: number;
  /** Seconds an agent who missed a call stays not ready before making themself available again. */
  backAfterMissSec: number;
  /** Sign the simulated agents in (available) at start. Default true; false when people sign in from desktops. */
  signIn?: boolean;
  /**
   * The demo's script instead of exponential talk and wrap-up times: each call rung to a simulated
   * agent takes a handle time drawn uniformly from [min, max] seconds (answered after 5 % of it,
   * ended by the caller after 75 % more, wrap-up done after the last 20 %), and the agent is not rung
   * again before the handle time has passed, even when they finish sooner themselves.
   */
  handleTimeSec?: [number, number];
}

/** A call another node was carrying, as the CTI journal last saw it (see adoptCall). */
export interface AdoptedCall {
  interactionId: string;
  ani: string;
  queue: string;
  /** Entry into the current queue, ms since epoch. */
  enteredAt: number;
  state: 'waiting' | 'ringing' | 'connected' | 'held';
  agent: string | null;
  /** Answered at least once in this queue visit. */
  answered: boolean;
  legStartedAt: number | null;
}

export type TransferTarget = { queue: string } | { agent: string };

/** A refused call control command; the message says why and what to do. */
export class CallControlError extends Error {
  override readonly name = 'CallControlError';
}

export interface AcdStats {
  offered: number;
  answered: number;
  abandoned: number;
  /** Rings that timed out and went back to the queue. */
  missed: number;
  transferred: number;
  ended: number;
}

export interface SimCall {
  interactionId: string;
  ani: string;
  queue: string;
  /** Entry into the current queue: waiting order and speed of answer. */
  enteredAt: number;
  originalPosition: number;
  state: 'waiting' | 'ringing' | 'connected' | 'held' | 'ended';
  agent: string | null;
  /** Answered at least once in this queue visit: a later hang-up is an end, not an abandon. */
  answered: boolean;
  legStartedAt: number | null;
  /** Its timers (patience, ring, the simulated agent's plans): they die with the call. */
  timers: Set<Timer>;
}
