// The telephony events the floor follows, and what every CTI source (simulator, webhook, Asterisk
// AMI) normalises its calls to before agent state, queue metrics and the screen pop see them.
// Timestamps are the center's clock. Its text is cleaned by the text policy (shared/domain/text-policy.ts)
// rather than refused: a call the switch already placed is never dropped for an invisible character
// in a queue or agent name, and an event journalled before the policy reads back.
import { z } from 'zod';
import { cleaned, IsoTime, Uuid } from '../../../../shared/domain/index';

const CallBase = z.object({
  interactionId: Uuid,
  /** Caller number in E.164 when it can be normalised; otherwise as the switch gave it (e.g. `anonymous`). */
  ani: z.string().max(64),
  /** The number the caller dialled. */
  dnis: z.string().max(64),
  queue: z.string().max(64),
  /** When the center received the event. */
  at: IsoTime,
});
const Seconds = z.number().int().nonnegative();

/** The call entered a queue: it counts as offered in queue metrics; no agent has it yet. */
export const CallOffered = CallBase.extend({ type: z.literal('call_offered') });
/** The queue rings an agent with the call (agent state `ringing`): this is when the screen pops. */
export const CallRinging = CallBase.extend({ type: z.literal('call_ringing'), agent: z.string().max(64) });
export const CallAnswered = CallBase.extend({
  type: z.literal('call_answered'),
  agent: z.string().max(64).nullable(),
  /** Time the caller waited in the queue. */
  holdTimeSec: Seconds,
});
export const CallHeld = CallBase.extend({ type: z.literal('call_held'), agent: z.string().max(64).nullable() });
export const CallResumed = CallBase.extend({ type: z.literal('call_resumed'), agent: z.string().max(64).nullable() });
export const CallTransferred = CallBase.extend({
  type: z.literal('call_transferred'),
  agent: z.string().max(64).nullable(),
  /** Where the call went: an extension, queue or number as the switch names it. */
  target: z.string().max(128),
});
export const CallEnded = CallBase.extend({
  type: z.literal('call_ended'),
  agent: z.string().max(64).nullable(),
  talkTimeSec: Seconds.nullable(),
  endedBy: z.enum(['agent', 'caller', 'transfer', 'unknown']),
});
/** The caller hung up before an agent answered. */
export const CallAbandoned = CallBase.extend({
  type: z.literal('call_abandoned'),
  holdTimeSec: Seconds,
  position: z.number().int().positive().nullable(),
  originalPosition: z.number().int().positive().nullable(),
});
/** An agent was paused (not ready) or unpaused in a queue at the switch. */
export const AgentPaused = z.object({
  type: z.literal('agent_paused'),
  agent: z.string().max(64),
  queue: z.string().max(64).nullable(),
  paused: z.boolean(),
  reason: z.string().max(64).nullable(),
  at: IsoTime,
});

export const CtiEvent = cleaned(z.discriminatedUnion('type', [
  CallOffered,
  CallRinging,
  CallAnswered,
  CallHeld,
  CallResumed,
  CallTransferred,
  CallEnded,
  CallAbandoned,
  AgentPaused,
]));
export type CtiEvent = z.infer<typeof CtiEvent>;
export type CtiEventType = CtiEvent['type'];
