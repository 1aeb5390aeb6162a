// Great service at the center: a supervisor marks an interaction of their tenant (audited, once per
// interaction); every desktop of the tenant hears it and can list the recent ones.
import { randomUUID } from 'node:crypto';
import type { GreatService, MarkGreatServiceRequest } from '../../../shared/protocol';
import { iso, isIntegrityViolation, type Db } from '../db/db';
import { CenterError } from '../base/errors';

const DEFAULT_LIMIT = 20;

interface Row {
  id: string;
  interaction_id: string;
  agent: string | null;
  agent_name: string | null;
  queue: string | null;
  marked_by_name: string;
  why: string;
  marked_at: unknown;
}
const toWire = (r: Row): GreatService => ({
  id: r.id,
  interactionId: r.interaction_id,
  agent: r.agent,
  agentName: r.agent_name,
  queue: r.queue,
  markedBy: r.marked_by_name,
  why: r.why,
  markedAt: iso(r.marked_at),
});

const SELECT = `SELECT g.id, g.interaction_id, g.agent, au.display_name AS agent_name, i.queue, mu.display_name AS marked_by_name, g.why, g.marked_at
  FROM great_service g
  JOIN interactions i ON i.id = g.interaction_id AND i.tenant_id = g.tenant_id
  JOIN users mu ON mu.tenant_id = g.tenant_id AND mu.username = g.marked_by
  LEFT JOIN users au ON au.tenant_id = g.tenant_id AND au.username = g.agent`;

export async function markGreatService(db: Db, who: { tenantId: string; userId: string; username: string }, req: MarkGreatServiceRequest): Promise<GreatService> {
  return db.tx(async (q) => {
    const [interaction] = await q.query<{ agent: string | null }>('SELECT agent FROM interactions WHERE tenant_id = $1 AND id = $2', [who.tenantId, req.interactionId]);
    if (!interaction) throw new CenterError('not_found', 'That interaction is not one of your tenant\'s.');
    const id = randomUUID();
    try {
      await q.query('INSERT INTO great_service (id, tenant_id, interaction_id, agent, marked_by, why) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        who.tenantId,
        req.interactionId,
        interaction.agent,
        who.username,
        req.why,
      ]);
    } catch (err) {
      if (isIntegrityViolation(err)) throw new CenterError('conflict', 'This interaction is already marked as great service.');
      throw err;
    }
    await q.query('INSERT INTO audit_log (tenant_id, user_id, action, reason) VALUES ($1, $2, $3, $4)', [who.tenantId, who.userId, 'great_service.marked', req.interactionId]);
    const [row] = await q.query<Row>(`${SELECT} WHERE g.tenant_id = $1 AND g.id = $2`, [who.tenantId, id]);
    return toWire(row!);
  });
}

export async function listGreatService(db: Db, tenantId: string, limit = DEFAULT_LIMIT): Promise<GreatService[]> {
  const rows = await db.query<Row>(`${SELECT} WHERE g.tenant_id = $1 ORDER BY g.marked_at DESC, g.id DESC LIMIT $2`, [tenantId, limit]);
  return rows.map(toWire);
}
