// The channels' socket events: whoever takes calls accepts, declines, answers, wraps up and closes
// the chats and emails offered to them, and catches up after a reconnect (`conversation:mine`, then
// `conversation:fetch` after the last seq they have); supervisors may read any conversation back,
// and read and set each queue's chat and email capacity (pushed to them all as queue:capacities).
import type { z } from 'zod';
import {
  CloseConversationRequest,
  ConversationFetchRequest,
  ConversationRequest,
  EVENTS,
  GetQueueCapacitiesRequest,
  MyConversationsRequest,
  ReplyRequest,
  SetQueueCapacityRequest,
} from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { CenterError } from '../base/errors';
import type { Db } from '../db/db';
import { CALL_TAKERS, spec, SUPERVISING, type EventTable } from '../io/event-table';
import type { Outlet } from '../io/rooms';
import { capacitiesOf, CapacityError, setCapacity } from './capacity';
import type { Channels } from './channels';

/** Sets one queue's capacity for a channel and writes the audit row, in one transaction. */
async function setQueueCapacity(db: Db, who: Principal, req: SetQueueCapacityRequest): Promise<void> {
  try {
    await db.tx(async (q) => {
      const now = await setCapacity(q, who.tenantId, req.queue, req.channel, { capacity: req.capacity, ...(req.interruptible !== undefined && { interruptible: req.interruptible }) });
      await q.query('INSERT INTO audit_log (tenant_id, user_id, action, reason) VALUES ($1, $2, $3, $4)', [
        who.tenantId,
        who.userId,
        'queue.capacity',
        `${req.queue} ${req.channel}: ${now.capacity}${now.interruptible ? ', interruptible' : ''}`,
      ]);
    });
  } catch (err) {
    if (err instanceof CapacityError) throw new CenterError(/has no queue/.test(err.message) ? 'not_found' : 'bad_request', err.message);
    throw err;
  }
}

export function channelEvents(
  channels: Pick<Channels, 'accept' | 'decline' | 'reply' | 'finish' | 'fetch' | 'mine' | 'kick'>,
  deps: { db: Db; out: Pick<Outlet, 'toSupervisors'> },
): EventTable {
  const { db, out } = deps;
  return {
    [EVENTS.getQueueCapacities]: spec({ roles: SUPERVISING, schema: GetQueueCapacitiesRequest, handle: (who: Principal) => capacitiesOf(db, who.tenantId) }),
    [EVENTS.setQueueCapacity]: spec({
      roles: SUPERVISING,
      schema: SetQueueCapacityRequest,
      handle: async (who: Principal, req: z.infer<typeof SetQueueCapacityRequest>) => {
        await setQueueCapacity(db, who, req);
        const all = await capacitiesOf(db, who.tenantId);
        out.toSupervisors(who.tenantId, EVENTS.queueCapacities, all);
        // Routing reads capacities afresh each pass: one now offers what a raised capacity lets through.
        void channels.kick(who.tenantId);
        return all;
      },
    }),
    [EVENTS.conversationAccept]: spec({ roles: CALL_TAKERS, schema: ConversationRequest, handle: (who, req) => channels.accept(who, req.conversationId) }),
    [EVENTS.conversationDecline]: spec({ roles: CALL_TAKERS, schema: ConversationRequest, handle: (who, req) => channels.decline(who, req.conversationId) }),
    [EVENTS.conversationReply]: spec({ roles: CALL_TAKERS, schema: ReplyRequest, handle: (who, req) => channels.reply(who, req) }),
    [EVENTS.conversationWrapUp]: spec({ roles: CALL_TAKERS, schema: ConversationRequest, handle: (who, req) => channels.finish(who, req.conversationId, 'wrap_up') }),
    [EVENTS.conversationClose]: spec({
      roles: CALL_TAKERS,
      schema: CloseConversationRequest,
      handle: (who, req) => channels.finish(who, req.conversationId, 'closed', req.disposition),
    }),
    [EVENTS.conversationFetch]: spec({
      roles: [...CALL_TAKERS, ...SUPERVISING],
      schema: ConversationFetchRequest,
      handle: (who, req) => channels.fetch({ ...who, supervising: SUPERVISING.includes(who.role) }, req.conversationId, req.afterSeq, req.limit),
    }),
    [EVENTS.conversationMine]: spec({ roles: CALL_TAKERS, schema: MyConversationsRequest, handle: (who) => channels.mine(who) }),
  };
}

