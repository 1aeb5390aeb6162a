// The supervisor's socket events beyond the floor: per-queue thresholds and great service. Spread into
// the center's event table (server/src/io/socket.ts), which zod-parses, role-checks and acks them.
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Role } from '../../../shared/domain';
import { EVENTS, GetQueueThresholdsRequest, ListGreatServiceRequest, MarkGreatServiceRequest, SetQueueThresholdsRequest } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Db } from '../db/db';
import { listGreatService, markGreatService } from './great-service';
import { setThresholds, thresholdsOf } from './thresholds';

interface Spec {
  roles: readonly Role[];
  schema: z.ZodTypeAny;
  handle(who: Principal, req: never): Promise<unknown>;
}

const SUPERVISING: readonly Role[] = ['supervisor', 'admin'];
const ANY_ROLE: readonly Role[] = ['agent', 'supervisor', 'admin'];

export interface SupervisorOutlet {
  toSupervisors(tenantId: string, event: string, payload: unknown): void;
  /** Every desktop of the tenant (agents, supervisors, admins). */
  toTenant(tenantId: string, event: string, payload: unknown): void;
}

export function createSupervisorEvents(db: Db, _log: Pick<Logger, 'warn'>, out: SupervisorOutlet): Record<string, Spec> {
  return {
    [EVENTS.getQueueThresholds]: {
      roles: SUPERVISING,
      schema: GetQueueThresholdsRequest,
      handle: (who: Principal) => thresholdsOf(db, who.tenantId),
    },
    [EVENTS.setQueueThresholds]: {
      roles: SUPERVISING,
      schema: SetQueueThresholdsRequest,
      handle: async (who: Principal, req: z.infer<typeof SetQueueThresholdsRequest>) => {
        await db.tx((q) => setThresholds(q, who, req));
        const all = await thresholdsOf(db, who.tenantId);
        out.toSupervisors(who.tenantId, EVENTS.queueThresholds, all);
        return all;
      },
    },
    [EVENTS.markGreatService]: {
      roles: SUPERVISING,
      schema: MarkGreatServiceRequest,
      handle: async (who: Principal, req: z.infer<typeof MarkGreatServiceRequest>) => {
        const marked = await markGreatService(db, who, req);
        out.toTenant(who.tenantId, EVENTS.greatServiceShared, marked);
        return marked;
      },
    },
    [EVENTS.listGreatService]: {
      roles: ANY_ROLE,
      schema: ListGreatServiceRequest,
      handle: async (who: Principal, req: z.infer<typeof ListGreatServiceRequest>) => ({ items: await listGreatService(db, who.tenantId, req.limit) }),
    },
  };
}
