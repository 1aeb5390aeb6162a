// CTI: a call offered to an agent, and the agent's control of their call.
import { z } from 'zod';
import { IsoTime, ScreenPop, Uuid } from '../domain/entities';
import { TRANSFER_TARGET_MAX_CHARS } from '../domain/field-limits';
import { policyText } from '../domain/text-policy';

/** `cti:callOffered` (center -> the agent's room `agent:<userId>`). */
export const CallOffered = z.object({
  interactionId: Uuid,
  ani: z.string().max(64),
  dnis: z.string().max(64),
  queue: z.string().max(64),
  agent: z.string().max(64),
  offeredAt: IsoTime,
  /** outbound: a call the agent places (a follow-up); `ani` is then the customer's number. Absent: inbound. */
  direction: z.enum(['inbound', 'outbound']).optional(),
  /**
   * What the center knows of the caller, read when it offered the call (after granting them to the
   * agent's working set): the pop itself (with its `asOf`), or null when no customer holds the number.
   * Absent when the center could not read it (or re-offers a call in progress): the desktop asks with
   * `customer:lookup` then. Never forwarded to the renderer (the pop travels beside the call there).
   */
  caller: z.object({ asOf: z.string().regex(/^\d{1,20}$/), pop: ScreenPop.nullable() }).optional(),
});
export type CallOffered = z.infer<typeof CallOffered>;

/**
 * `call:control` (agent -> center, with ack -> { interactionId, action }): the agent acts on their call;
 * the center relays it to the CTI source that owns the call (the simulator does all; a PBX what it supports,
 * the rest answered `conflict` with the reason). `target` (queue, extension or number) is needed for transfer.
 */
export const CALL_CONTROL_ACTIONS = ['answer', 'hold', 'resume', 'transfer', 'hangup', 'finishWrapUp'] as const;
export const CallControlRequest = z
  .object({ interactionId: Uuid, action: z.enum(CALL_CONTROL_ACTIONS), target: policyText(TRANSFER_TARGET_MAX_CHARS).min(1).optional() })
  .refine((r) => r.action !== 'transfer' || r.target !== undefined, { message: 'transfer needs a target (queue, extension or number)', path: ['target'] });
export type CallControlRequest = z.infer<typeof CallControlRequest>;
export const CallControlResponse = z.object({ interactionId: Uuid, action: z.enum(CALL_CONTROL_ACTIONS) });
