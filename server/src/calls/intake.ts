// A switch rings an agent: the call is recorded (and logged for sync) and the caller granted to the
// agent's working set before the agent's desktop is told; the caller's pop, read after that commit
// (so its history already holds the call), travels with the offer, so a caller the desktop has never
// seen paints from this one push; then whoever can see the call is poked. Every CTI source ends here:
// the simulator, the webhook and Asterisk AMI.
import type { Logger } from 'pino';
import type { ScreenPop } from '../../../shared/domain';
import { EVENTS, type CallOffered } from '../../../shared/protocol';
import { errSummary } from '../base/log';
import type { CtiEvent } from '../floor/model/cti-events';
import type { Db } from '../db/db';
import type { Outlet } from '../io/rooms';
import type { Poke } from '../sync/events';
import { createAgentDirectory } from './agent-directory';
import { recordOfferedCall, type CallToOffer } from './offer';

export interface CallIntakeDeps {
  db: Db;
  outlet: Pick<Outlet, 'toAgent'>;
  poke: Poke;
  /** Agent states and queue metrics follow a switch's events (the floor; on several nodes, the owner's). */
  ingestCti(tenantId: string, event: CtiEvent): Promise<void>;
  /** The pop of a caller the offer found and granted to the agent (lookup/screen-pop.ts, audited there). */
  readCallerPop(who: { tenantId: string; userId: string }, customerId: string): Promise<ScreenPop | null>;
  /** The caller the offer found (null: nobody holds the number), for the supervisors' agents grid (floor/customer-names.ts). */
  callerFound?(tenantId: string, interactionId: string, customerId: string | null, customerName: string | null): void;
  log: Pick<Logger, 'warn'>;
}

export function createCallIntake(deps: CallIntakeDeps) {
  const { db, outlet, poke, log } = deps;
  const ringingAgents = createAgentDirectory(db);

  /** The offer's `caller`: the pop and the version it was read at; absent when it could not be read. */
  async function callerOf(call: CallToOffer, customerId: string | null, version: string): Promise<CallOffered['caller']> {
    // No customer holds the number: the desktop needs no lookup to know it (it makes a provisional one).
    if (!customerId) return { asOf: version, pop: null };
    try {
      const pop = await deps.readCallerPop({ tenantId: call.tenantId, userId: call.agentUserId }, customerId);
      return pop ? { asOf: pop.asOf ?? version, pop } : undefined;
    } catch (err) {
      // The call still rings; the desktop asks for the pop itself (customer:lookup) as before.
      log.warn({ tenant: call.tenantId, err: errSummary(err) }, "the caller's pop could not be read for the offer; the desktop will look it up");
      return undefined;
    }
  }

  /** Offers one call to the agent: recorded, pushed as `cti:callOffered` (with the caller's pop) to their desktops, poked. */
  async function offer(call: CallToOffer): Promise<CallOffered> {
    const r = await recordOfferedCall(db, call);
    deps.callerFound?.(call.tenantId, r.value.offer.interactionId, r.value.customerId, r.value.customerName);
    const caller = await callerOf(call, r.value.customerId, r.version);
    outlet.toAgent(call.agentUserId, EVENTS.callOffered, caller ? { ...r.value.offer, caller } : r.value.offer);
    await poke(call.tenantId, r);
    return r.value.offer;
  }

  return {
    offer,
    /** An outbound call the agent places (a follow-up): recorded and popped on their desktop as any call. */
    async offerOutbound(call: { tenantId: string; agentUserId: string; agentUsername: string; number: string; queue: string; dnis: string }): Promise<{ interactionId: string }> {
      const offered = await offer({ ...call, ani: call.number, direction: 'outbound' });
      return { interactionId: offered.interactionId };
    },
    /** A switch's event (webhook, AMI): metrics and agent states follow; a ringing call pops the agent's screen. */
    async onCtiEvent(tenantId: string, event: CtiEvent): Promise<void> {
      await deps.ingestCti(tenantId, event);
      if (event.type !== 'call_ringing') return;
      const user = await ringingAgents.find(tenantId, event.agent);
      if (!user) {
        log.warn({ tenant: tenantId }, 'a ringing call names an agent who is not a user of the tenant; no screen pop');
        return;
      }
      await offer({ tenantId, ani: event.ani, dnis: event.dnis, queue: event.queue, agentUserId: user.id, agentUsername: event.agent, interactionId: event.interactionId });
    },
  };
}
export type CallIntake = ReturnType<typeof createCallIntake>;
