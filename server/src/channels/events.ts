// The channels' socket events: whoever takes calls accepts, declines, answers, wraps up and closes
// the chats and emails offered to them, and catches up after a reconnect (`conversation:mine`, then
// `conversation:fetch` after the last seq they have); supervisors may read any conversation back.
import {
  CloseConversationRequest,
  ConversationFetchRequest,
  ConversationRequest,
  EVENTS,
  MyConversationsRequest,
  ReplyRequest,
} from '../../../shared/protocol';
import { CALL_TAKERS, spec, SUPERVISING, type EventTable } from '../io/event-table';
import type { Channels } from './channels';

export function channelEvents(channels: Pick<Channels, 'accept' | 'decline' | 'reply' | 'finish' | 'fetch' | 'mine'>): EventTable {
  return {
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

