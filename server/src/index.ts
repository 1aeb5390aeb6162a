// Public entry of the Earshot center: start one (center/center.ts assembles it), and offer a call on
// a running one (tests and demos that need a call now).
import type { CallOffered } from '../../shared/protocol';
import { offererOf, type RunningCenter } from './center/center';
import { DEMO_CENTER_NUMBER } from './demo/generate';

export { CENTER_VERSION, CHANGE_LOG_RETENTION_DAYS, startCenter, type CenterInternals, type CenterOptions, type RunningCenter } from './center/center';
export type { Db } from './db/db';
export { channelsOf, mailOf, socketServerOf } from './center/center';
export type { Channels, OutboundPort, OutboundReply } from './channels/channels';
export type { InboundMessage, InboundResult } from './channels/store';

/**
 * Offers one inbound call to a connected agent as the simulator would: records the interaction,
 * emits `cti:callOffered` to the agent's room and pokes.
 */
export async function offerCall(
  center: RunningCenter,
  call: { tenant: string; username: string; ani: string; queue: string; dnis?: string },
): Promise<CallOffered> {
  const offer = offererOf(center);
  if (!offer) throw new Error('offerCall needs a center started by startCenter.');
  const [user] = await center.db.query<{ id: string }>('SELECT id FROM users WHERE tenant_id = $1 AND username = $2', [call.tenant, call.username], { prepare: true });
  if (!user) throw new Error(`No user ${call.username} in tenant ${call.tenant}.`);
  return offer({ tenantId: call.tenant, ani: call.ani, dnis: call.dnis ?? DEMO_CENTER_NUMBER, queue: call.queue, agentUserId: user.id, agentUsername: call.username });
}
