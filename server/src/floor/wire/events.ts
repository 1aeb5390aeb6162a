// The floor's socket events: an agent sets their own state; supervisors force one, read trends, set
// per-queue thresholds (pushed to supervisors as queue:thresholds) and mark great service (pushed to
// every desktop of the tenant as greatService:shared).
import type { z } from 'zod';
import {
  EVENTS,
  ForceAgentStateRequest,
  GetQueueThresholdsRequest,
  ListGreatServiceRequest,
  MarkGreatServiceRequest,
  QueueTrendsRequest,
  SetAgentStateRequest,
  SetQueueThresholdsRequest,
} from '../../../../shared/protocol';
import type { Principal } from '../../auth/sessions';
import type { Db } from '../../db/db';
import { ANY_ROLE, CALL_TAKERS, spec, SUPERVISING, type EventTable } from '../../io/event-table';
import type { Outlet } from '../../io/rooms';
import type { Floor } from '../floor';
import { listGreatService, markGreatService } from '../great-service';
import { setThresholds, thresholdsOf } from '../thresholds';

/** `floor`: the floor as the handlers use it (on several nodes, relayed to the owner's). */
export function floorEvents(db: Db, floor: Pick<Floor, 'setState' | 'force' | 'trends'>, out: Pick<Outlet, 'toSupervisors' | 'toTenant'>): EventTable {
  return {
    [EVENTS.setAgentState]: spec({ roles: CALL_TAKERS, schema: SetAgentStateRequest, handle: (who, req) => floor.setState(who, req) }),
    [EVENTS.forceAgentState]: spec({ roles: SUPERVISING, schema: ForceAgentStateRequest, handle: (who, req) => floor.force(who, req) }),
    [EVENTS.queueTrends]: spec({ roles: SUPERVISING, schema: QueueTrendsRequest, handle: (who, req) => floor.trends(who, req) }),
    [EVENTS.getQueueThresholds]: spec({
      roles: SUPERVISING,
      schema: GetQueueThresholdsRequest,
      handle: (who: Principal) => thresholdsOf(db, who.tenantId),
    }),
    [EVENTS.setQueueThresholds]: spec({
      roles: SUPERVISING,
      schema: SetQueueThresholdsRequest,
      handle: async (who: Principal, req: z.infer<typeof SetQueueThresholdsRequest>) => {
        await db.tx((q) => setThresholds(q, who, req));
        const all = await thresholdsOf(db, who.tenantId);
        out.toSupervisors(who.tenantId, EVENTS.queueThresholds, all);
        return all;
      },
    }),
    [EVENTS.markGreatService]: spec({
      roles: SUPERVISING,
      schema: MarkGreatServiceRequest,
      handle: async (who: Principal, req: z.infer<typeof MarkGreatServiceRequest>) => {
        const marked = await markGreatService(db, who, req);
        out.toTenant(who.tenantId, EVENTS.greatServiceShared, marked);
        return marked;
      },
    }),
    [EVENTS.listGreatService]: spec({
      roles: ANY_ROLE,
      schema: ListGreatServiceRequest,
      handle: async (who: Principal, req: z.infer<typeof ListGreatServiceRequest>) => ({ items: await listGreatService(db, who.tenantId, req.limit) }),
    }),
  };
}
