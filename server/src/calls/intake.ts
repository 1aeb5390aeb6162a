// A switch rings an agent: the call is recorded (and logged for sync) before the agent's desktop is
// told, so the screen pop's history already holds it; then whoever can see it is poked. Every CTI
// source ends here: the simulator, the webhook and Asterisk AMI.
import type { Logger } from 'pino';
import { EVENTS, type CallOffered } from '../../../shared/protocol';
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
  log: Pick<Logger, 'warn'>;
}

export function createCallIntake(deps: CallIntakeDeps) {
  const { db, outlet, poke, log } = deps;
  const ringingAgents = createAgentDirectory(db);

  /** Offers one call to the agent: recorded, pushed as `cti:callOffered` to their desktops, poked. */
  async function offer(call: CallToOffer): Promise<CallOffered> {
    const r = await recordOfferedCall(db, call);
    outlet.toAgent(call.agentUserId, EVENTS.callOffered, r.value);
    await poke(call.tenantId, r);
    return r.value;
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
