// Placing an outbound call from an agent's phone (the VOC follow-up call) through the tenant's CTI:
// Asterisk by AMI Originate while an AMI source runs for the tenant; a PBX fed through the webhook by
// a signed `place_call` POST to the URL the tenant set (docs/cti-webhook.md); the demo's simulator
// needs nothing (the call is placed on the desktop only).
import type { Db } from '../db/db';
import { signCtiWebhook, SIGNATURE_HEADER, TENANT_HEADER, TIMESTAMP_HEADER } from './webhook';
import { webhookSecretsFor } from './webhook-store';

export const PLACE_CALL_TIMEOUT_MS = 5_000;

export interface OutboundCall {
  tenantId: string;
  agentUsername: string;
  number: string;
  interactionId: string;
}

/** Asterisk's way of placing a call, per tenant, while its AMI source runs. */
export type AmiDialler = (agent: string, number: string, interactionId: string) => Promise<void>;

/** POSTs `{ type: 'place_call', … }` signed as the webhook's events are; a non-2xx answer is an error. */
export async function placeCallByWebhook(url: string, secret: string, call: OutboundCall, now = Date.now()): Promise<void> {
  const body = JSON.stringify({ type: 'place_call', interactionId: call.interactionId, agent: call.agentUsername, number: call.number, at: new Date(now).toISOString() });
  const ts = Math.floor(now / 1000);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TENANT_HEADER]: call.tenantId, [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: signCtiWebhook(secret, ts, body) },
    body,
    signal: AbortSignal.timeout(PLACE_CALL_TIMEOUT_MS),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`the phone system answered ${res.status} to place_call`);
}

/** The tenant's way of placing a follow-up call, as described at the top. */
export function createDialler(deps: { db: Db; amiOf(tenantId: string): AmiDialler | undefined; placeCallUrlOf(tenantId: string): Promise<string | null> }) {
  return async (call: OutboundCall): Promise<void> => {
    const ami = deps.amiOf(call.tenantId);
    if (ami) return ami(call.agentUsername, call.number, call.interactionId);
    const url = await deps.placeCallUrlOf(call.tenantId);
    if (!url) return; // the simulator: nothing to tell a switch
    const [secret] = await webhookSecretsFor(deps.db, call.tenantId);
    if (!secret) throw new Error('the tenant has a place-call URL but no webhook secret; create one with "earshot-center tenant set-webhook-secret"');
    await placeCallByWebhook(url, secret, call);
  };
}
