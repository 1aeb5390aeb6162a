// Agent states (added in schema 1, compatibly): the agent's own choice, a supervisor's force, and
// the center's report of each change.
import { z } from 'zod';
import { IsoTime, Uuid } from '../domain/entities';

export const AGENT_STATES = ['offline', 'available', 'not_ready', 'ringing', 'on_call', 'on_hold', 'wrap_up'] as const;
export const AgentStateName = z.enum(AGENT_STATES);
export type AgentStateName = z.infer<typeof AgentStateName>;
/** A not_ready reason code: lower-case letters, digits and _ (e.g. break, meal, training). */
export const ReasonCode = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);

/**
 * `agent:setState` (agent -> center, with ack -> AgentStateUpdate): the agent chooses available,
 * not_ready (reason required) or offline, or ends wrap-up (`available`/`not_ready`). Call states are the switch's.
 */
export const SetAgentStateRequest = z.object({
  state: z.enum(['available', 'not_ready', 'offline']),
  reason: ReasonCode.nullish(),
});
export type SetAgentStateRequest = z.infer<typeof SetAgentStateRequest>;

/**
 * `agent:force` (supervisor/admin -> center, with ack -> { applied, pending }): puts an agent of the
 * same tenant in not_ready or offline. During a call the force waits for the call to end (`pending`).
 */
export const ForceAgentStateRequest = z.object({
  agent: z.string().min(1).max(64),
  state: z.enum(['not_ready', 'offline']),
  reason: ReasonCode.nullish(),
});
export type ForceAgentStateRequest = z.infer<typeof ForceAgentStateRequest>;
export const ForceAgentStateResponse = z.object({ applied: z.boolean(), pending: z.boolean() });

/**
 * `agent:state` (center -> the agent's room and the tenant's supervisors): an agent's state changed.
 * `forcedBy` names the supervisor who forced it; `by` says who made the change.
 * Also the ack value of `agent:setState` (the agent's state after the request).
 */
export const AgentStateUpdate = z.object({
  agent: z.string(),
  state: AgentStateName,
  reason: z.string().nullable(),
  interactionId: Uuid.nullable(),
  queue: z.string().nullable(),
  since: IsoTime,
  by: z.enum(['agent', 'supervisor', 'system']),
  forcedBy: z.string().nullable(),
  /** Supervisors only: the display name of the customer on the agent's interaction (null: none, or not known). */
  customerName: z.string().max(200).nullish(),
});
export type AgentStateUpdate = z.infer<typeof AgentStateUpdate>;
