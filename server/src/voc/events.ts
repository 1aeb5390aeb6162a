// The VOC desk's and the follow-up calls' socket events (shared/protocol/voc.ts). Moving an item is
// not here: it is the `voc.act` mutation, pushed through sync so it works offline.
import {
  EVENTS,
  FollowUpCallRequest,
  FollowUpListRequest,
  FollowUpRescheduleRequest,
  FollowUpSkipRequest,
  VocItemRequest,
  VocQueueRequest,
} from '../../../shared/protocol';
import type { Db } from '../db/db';
import { spec, type EventTable } from '../io/event-table';
import { vocItemPage, vocQueue } from './desk';
import { callFollowUp, listFollowUps, rescheduleFollowUp, skipFollowUp, type FollowUpCallDeps } from './follow-ups';

export function vocEvents(db: Db, calls: Omit<FollowUpCallDeps, 'db'>): EventTable {
  return {
    [EVENTS.vocQueue]: spec({ roles: ['staff', 'supervisor', 'admin'], schema: VocQueueRequest, handle: (who, req) => vocQueue(db, who, req) }),
    [EVENTS.vocItem]: spec({ roles: ['agent', 'staff', 'supervisor', 'admin'], schema: VocItemRequest, handle: (who, req) => vocItemPage(db, who, req.id) }),
    [EVENTS.followUps]: spec({
      roles: ['agent', 'supervisor', 'admin'],
      schema: FollowUpListRequest,
      handle: async (who, req) => ({ tasks: await listFollowUps(db, who.tenantId, req.limit) }),
    }),
    [EVENTS.followUpCall]: spec({ roles: ['agent'], schema: FollowUpCallRequest, handle: (who, req) => callFollowUp({ db, ...calls }, who, req.id) }),
    [EVENTS.followUpReschedule]: spec({
      roles: ['agent', 'supervisor', 'admin'],
      schema: FollowUpRescheduleRequest,
      handle: async (who, req) => {
        await rescheduleFollowUp(db, who, req.id, new Date(req.at));
        return { id: req.id };
      },
    }),
    [EVENTS.followUpSkip]: spec({
      roles: ['agent', 'supervisor', 'admin'],
      schema: FollowUpSkipRequest,
      handle: async (who, req) => {
        await skipFollowUp(db, who, req.id, req.reason);
        return { id: req.id };
      },
    }),
  };
}
