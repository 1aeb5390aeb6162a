// The CTI webhook intake, `POST /cti/events`, for any PBX that can send an HTTP request: checks the
// tenant's HMAC signature and the timestamp (against replay), parses the event, drops repeats by event
// id, keeps each call moving forward only (an older event never rolls a call back) and hands our own
// CTI event to the center. Framework-free: the HTTP server passes headers and the raw body.
// docs/cti-webhook.md is the integrator's description of everything here.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { IsoTime, policyText, Uuid, toE164 } from '../../../shared/domain/index';
import { CtiEvent } from '../floor/model/cti-events';
import { keyedUuid } from './name-uuid';

export const WEBHOOK_PATH = '/cti/events';
export const SIGNATURE_HEADER = 'x-earshot-signature';
export const TENANT_HEADER = 'x-earshot-tenant';
export const TIMESTAMP_HEADER = 'x-earshot-timestamp';
/** Larger bodies are refused (413): one event is well under 2 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;
export const DEFAULT_TOLERANCE_SEC = 300;

// ---------- the event an integrator sends ----------

// Text passes the text policy (shared/domain/text-policy.ts): a control character is refused with a
// 400 naming the field, so the integrator fixes the sender instead of the PBX retrying for ever.
const Name = policyText(64).min(1);
const EventBase = z.object({
  /** Unique per event at the sender: a repeat with the same id is acknowledged and ignored. */
  eventId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'eventId is 1–128 letters, digits, . _ : or -'),
  /** When it happened at the PBX (ISO-8601 with offset). Orders the events of one call. */
  occurredAt: IsoTime,
});
const CallRef = EventBase.extend({
  /** Our interaction id, as answered to an earlier event of the same call; a new call sends `externalCallId`. */
  interactionId: Uuid.optional(),
  /** The PBX's own id for the call (e.g. Asterisk's Linkedid); the same for every event of one call. */
  externalCallId: policyText(128).min(1).optional(),
  queue: Name,
  /** Caller number; needed on the first event of a call (E.164 preferred). */
  ani: policyText(64).min(1).optional(),
  /** The number the caller dialled. */
  dnis: policyText(64).min(1).optional(),
});
const Seconds = z.number().int().nonnegative().max(86_400);

export const WebhookEvent = z.discriminatedUnion('type', [
  CallRef.extend({ type: z.literal('call_offered') }).strict(),
  CallRef.extend({ type: z.literal('call_ringing'), agent: Name }).strict(),
  CallRef.extend({ type: z.literal('call_answered'), agent: Name.optional(), holdTimeSec: Seconds.optional() }).strict(),
  CallRef.extend({ type: z.literal('call_held'), agent: Name.optional() }).strict(),
  CallRef.extend({ type: z.literal('call_resumed'), agent: Name.optional() }).strict(),
  CallRef.extend({ type: z.literal('call_transferred'), agent: Name.optional(), target: policyText(128).min(1) }).strict(),
  CallRef.extend({
    type: z.literal('call_ended'),
    agent: Name.optional(),
    talkTimeSec: Seconds.optional(),
    endedBy: z.enum(['agent', 'caller', 'transfer', 'unknown']).optional(),
  }).strict(),
  CallRef.extend({
    type: z.literal('call_abandoned'),
    holdTimeSec: Seconds.optional(),
    position: z.number().int().positive().optional(),
    originalPosition: z.number().int().positive().optional(),
  }).strict(),
  EventBase.extend({
    type: z.literal('agent_paused'),
    agent: Name,
    queue: Name.optional(),
    paused: z.boolean(),
    reason: policyText(64).min(1).optional(),
  }).strict(),
]);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

// ---------- what the handler needs ----------

/** What the center remembers of a call fed through the webhook, to order its events and fill gaps. */
export interface WebhookCallState {
  interactionId: string;
  ani: string;
  dnis: string;
  queue: string;
  /** PBX time (ms) of the newest event applied to the call. */
  lastOccurredAt: number;
  /** How far the call has gone (see PHASE); an event of an earlier phase at the same instant is stale. */
  phase: number;
  offeredAt: number | null;
  answeredAt: number | null;
  agent: string | null;
}

/**
 * Idempotency and ordering state, per tenant. The center backs it with its database; `commit` must
 * record the event id and the call's state in one transaction, and `hasEvent` must see committed ids.
 */
export interface WebhookStore {
  /** Whether this event id was committed already, and the call's state: one read per event. */
  recall(tenant: string, eventId: string, key: string): Promise<{ seen: boolean; call: WebhookCallState | null }>;
  commit(tenant: string, eventId: string, receivedAt: number, call: { key: string; state: WebhookCallState } | null): Promise<void>;
  /** Whether the center gave this tenant's switch the interaction id itself: a call it asked the switch to place (place-call.ts). */
  placedByCenter(tenant: string, interactionId: string): Promise<boolean>;
}

export interface CtiWebhookLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface CtiWebhookDeps {
  /**
   * The tenant's active signing secrets (more than one while rotating); empty for an unknown tenant.
   * `fresh`: read them now, not from a cache (asked when no cached secret matches).
   */
  secretsFor(tenant: string, fresh?: boolean): Promise<readonly string[]>;
  store: WebhookStore;
  /**
   * The tenant's secret that interaction ids are derived with from `externalCallId` (call-ids.ts):
   * without it no one can tell which id a tenant's next call gets, so no other tenant can take it.
   */
  callIdKey(tenant: string): Promise<string>;
  /** Receives each applied event, in order per call; a throw makes the response 500 so the PBX retries. */
  onEvent(tenant: string, event: CtiEvent): void | Promise<void>;
  now?: () => number;
  /** How far the timestamp header may be from the center clock. Default 300 s. */
  toleranceSec?: number;
  /** How a caller number without a country prefix is read. Default KR. */
  defaultCountry?: 'KR' | 'US';
  logger?: CtiWebhookLogger;
}

export interface CtiWebhookRequest {
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}
export interface CtiWebhookResponse {
  status: number;
  body: object;
}

/** The signature header value for a body: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>`. */
export function signCtiWebhook(secret: string, timestampSec: number | string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.`).update(rawBody).digest('hex')}`;
}

/** An in-memory store for tests and a single-process demo center. */
export function createMemoryWebhookStore(): WebhookStore {
  const events = new Map<string, number>();
  const calls = new Map<string, WebhookCallState>();
  return {
    recall: async (tenant, eventId, key) => {
      const c = calls.get(`${tenant}\u0000${key}`);
      return { seen: events.has(`${tenant}\u0000${eventId}`), call: c ? { ...c } : null };
    },
    commit: async (tenant, eventId, receivedAt, call) => {
      events.set(`${tenant}\u0000${eventId}`, receivedAt);
      if (call) calls.set(`${tenant}\u0000${call.key}`, { ...call.state });
    },
    placedByCenter: async () => false,
  };
}

const PHASE: Record<WebhookEvent['type'], number> = {
  call_offered: 0,
  call_ringing: 1,
  call_answered: 2,
  call_held: 2,
  call_resumed: 2,
  call_transferred: 2,
  agent_paused: 0,
  call_ended: 3,
  call_abandoned: 3,
};
const FINAL_PHASE = 3;

const refuse = (status: number, code: string, message: string): CtiWebhookResponse => ({ status, body: { error: { code, message } } });

/** Events of one call (or one agent) are handled one at a time, in arrival order, within this process. */
const lanes = new Map<string, Promise<unknown>>();
function inLane<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = lanes.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const tail = next.catch(() => undefined);
  lanes.set(key, tail);
  void tail.then(() => {
    if (lanes.get(key) === tail) lanes.delete(key);
  });
  return next;
}

export async function handleCtiWebhook(req: CtiWebhookRequest, deps: CtiWebhookDeps): Promise<CtiWebhookResponse> {
  const now = deps.now?.() ?? Date.now();
  const header = (name: string): string | undefined => {
    for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === name) return v;
    return undefined;
  };
  const tenant = header(TENANT_HEADER)?.trim() ?? '';
  const timestamp = header(TIMESTAMP_HEADER)?.trim() ?? '';
  const signature = header(SIGNATURE_HEADER)?.trim() ?? '';
  // Only the shape of a refused request is logged: no body, no numbers, a bounded tenant string.
  const unauthorized = (reason: string, message: string): CtiWebhookResponse => {
    deps.logger?.warn({ reason, tenant: /^[A-Za-z0-9._-]{1,64}$/.test(tenant) ? tenant : '(invalid)', bodyBytes: req.rawBody.length }, 'CTI webhook request refused');
    return refuse(401, 'unauthenticated', message);
  };

  if (req.rawBody.length > MAX_BODY_BYTES) return refuse(413, 'bad_request', `The body is over ${MAX_BODY_BYTES} bytes; send one event per request.`);
  if (!tenant || !timestamp || !signature) {
    return unauthorized('missing_headers', `Sign every request: send the ${TENANT_HEADER}, ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers (see docs/cti-webhook.md).`);
  }
  if (!/^\d{1,12}$/.test(timestamp)) return unauthorized('bad_timestamp', `${TIMESTAMP_HEADER} must be the Unix time in whole seconds.`);
  const toleranceSec = deps.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSec) {
    return unauthorized('stale_timestamp', `${TIMESTAMP_HEADER} is more than ${toleranceSec} s from the center's clock; check the PBX clock (NTP) and sign each request when you send it.`);
  }
  const given = /^sha256=([0-9a-f]{64})$/i.exec(signature)?.[1];
  const signedWith = (secrets: readonly string[]) =>
    given !== undefined &&
    secrets.some((secret) => {
      const expected = Buffer.from(signCtiWebhook(secret, timestamp, req.rawBody).slice('sha256='.length), 'hex');
      return timingSafeEqual(expected, Buffer.from(given.toLowerCase(), 'hex'));
    });
  // Secrets may come from a cache: a signature none of them matches is checked against fresh ones.
  const valid = signedWith(await deps.secretsFor(tenant)) || (given !== undefined && signedWith(await deps.secretsFor(tenant, true)));
  if (!valid) {
    return unauthorized('bad_signature', `The signature does not match: sign "<timestamp>.<raw body>" with HMAC-SHA256 and your tenant's webhook secret, and send it as ${SIGNATURE_HEADER}: sha256=<hex>.`);
  }

  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return refuse(400, 'bad_request', 'The body is not valid JSON; send one event as a JSON object.');
  }
  const parsed = WebhookEvent.safeParse(json);
  if (!parsed.success) {
    // Paths and rules only: never the values, which may be callers' numbers.
    const reasons = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
    return refuse(400, 'bad_request', `The event does not match the schema (${reasons.join('; ')}). See docs/cti-webhook.md for each event type's fields.`);
  }
  const event = parsed.data;
  if (event.type !== 'agent_paused' && !event.interactionId && !event.externalCallId) {
    return refuse(400, 'bad_request', 'A call event needs interactionId or externalCallId, the same for every event of that call.');
  }

  const interactionId =
    event.type === 'agent_paused' ? null : (event.interactionId ?? keyedUuid(await deps.callIdKey(tenant), `webhook:${event.externalCallId}`));
  const key = interactionId ? `call:${interactionId}` : `agent:${event.type === 'agent_paused' ? event.agent : ''}`;
  return inLane(`${tenant}\u0000${key}`, () => apply(tenant, key, interactionId, event, now, toleranceSec, deps));
}

async function apply(
  tenant: string,
  key: string,
  interactionId: string | null,
  event: WebhookEvent,
  now: number,
  toleranceSec: number,
  deps: CtiWebhookDeps,
): Promise<CtiWebhookResponse> {
  const { seen, call: known } = await deps.store.recall(tenant, event.eventId, key);
  if (seen) return { status: 200, body: { duplicate: true, eventId: event.eventId } };
  // An interaction id is ours to give: one this tenant's switch has not been answered with before may
  // be another tenant's (or its future call's) id, and taking it would break that tenant's pops. The
  // one exception is a call the center asked this tenant's switch to place, under an id it chose.
  if (event.type !== 'agent_paused' && event.interactionId && !known && !(await deps.store.placedByCenter(tenant, event.interactionId))) {
    return refuse(
      400,
      'bad_request',
      'interactionId is not a call this tenant has sent before: send externalCallId for a new call (the answer carries its interactionId, which later events may use).',
    );
  }
  const occurredAt = Date.parse(event.occurredAt);
  // Our events carry the center's clock; a PBX time is used only within the tolerance window of it.
  const at = new Date(Math.min(now, Math.max(now - toleranceSec * 1000, occurredAt))).toISOString();
  const phase = PHASE[event.type];
  // Entering another queue starts a new visit there, even at the instant of the transfer out.
  const newVisit = event.type === 'call_offered' && known !== null && known.queue !== event.queue;
  const behind = known !== null && (occurredAt < known.lastOccurredAt || (occurredAt === known.lastOccurredAt && phase < known.phase && !newVisit));
  if (known && (behind || known.phase === FINAL_PHASE)) {
    await deps.store.commit(tenant, event.eventId, now, null);
    const why = known.phase === FINAL_PHASE ? 'the call has already ended' : 'it is older than the last event applied to this call';
    return { status: 200, body: { accepted: true, applied: false, eventId: event.eventId, reason: `Not applied: ${why}.` } };
  }

  if (event.type === 'agent_paused') {
    const cti = CtiEvent.parse({ type: 'agent_paused', agent: event.agent, queue: event.queue ?? null, paused: event.paused, reason: event.reason ?? null, at });
    await deps.onEvent(tenant, cti);
    const state: WebhookCallState = { interactionId: '', ani: '', dnis: '', queue: event.queue ?? '', lastOccurredAt: occurredAt, phase: 0, offeredAt: null, answeredAt: null, agent: event.agent };
    await deps.store.commit(tenant, event.eventId, now, { key, state });
    return { status: 202, body: { accepted: true, applied: true, eventId: event.eventId } };
  }

  const country = deps.defaultCountry ?? 'KR';
  const ani = event.ani ? (toE164(event.ani, country) ?? event.ani) : (known?.ani ?? 'unknown');
  const state: WebhookCallState = {
    interactionId: interactionId as string,
    ani,
    dnis: event.dnis ?? known?.dnis ?? 'unknown',
    queue: event.queue,
    lastOccurredAt: occurredAt,
    phase: Math.max(phase, known?.phase ?? 0),
    offeredAt: event.type === 'call_offered' ? occurredAt : (known?.offeredAt ?? null),
    answeredAt: event.type === 'call_answered' ? occurredAt : (known?.answeredAt ?? null),
    agent: ('agent' in event ? event.agent : undefined) ?? known?.agent ?? null,
  };
  if (newVisit) {
    // The new queue visit goes through the phases again, with nobody on it yet.
    state.phase = 0;
    state.answeredAt = null;
    state.agent = null;
  }
  const base = { interactionId: state.interactionId, ani: state.ani, dnis: state.dnis, queue: state.queue, at };
  const sinceSec = (from: number | null) => (from === null ? null : Math.max(0, Math.floor((occurredAt - from) / 1000)));
  const candidate = (() => {
    switch (event.type) {
      case 'call_offered':
        return { type: event.type, ...base };
      case 'call_ringing':
        return { type: event.type, ...base, agent: event.agent };
      case 'call_answered':
        return { type: event.type, ...base, agent: state.agent, holdTimeSec: event.holdTimeSec ?? sinceSec(known?.offeredAt ?? null) ?? 0 };
      case 'call_held':
      case 'call_resumed':
        return { type: event.type, ...base, agent: state.agent };
      case 'call_transferred':
        return { type: event.type, ...base, agent: state.agent, target: event.target };
      case 'call_ended':
        return { type: event.type, ...base, agent: state.agent, talkTimeSec: event.talkTimeSec ?? sinceSec(state.answeredAt), endedBy: event.endedBy ?? 'unknown' };
      case 'call_abandoned':
        return {
          type: event.type,
          ...base,
          holdTimeSec: event.holdTimeSec ?? sinceSec(state.offeredAt) ?? 0,
          position: event.position ?? null,
          originalPosition: event.originalPosition ?? null,
        };
    }
  })();
  const cti = CtiEvent.safeParse(candidate);
  if (!cti.success) {
    return refuse(400, 'bad_request', 'The event could not be turned into a call event (a field is too long once normalised); check ani, dnis and agent.');
  }
  await deps.onEvent(tenant, cti.data);
  await deps.store.commit(tenant, event.eventId, now, { key, state });
  return { status: 202, body: { accepted: true, applied: true, eventId: event.eventId, interactionId: state.interactionId } };
}
