// Per-queue alert thresholds at the center: stored per tenant and queue, defaults when unset,
// changed by supervisors and admins (audited). Read by supervisors' desktops and the wallboard.
import {
  DEFAULT_QUEUE_THRESHOLDS,
  QueueThresholds,
  type QueueThresholdsSet,
  type SetQueueThresholdsRequest,
} from '../../../shared/protocol';
import type { Queryable } from '../db/db';
import { CenterError } from '../base/errors';

/** Every queue of the tenant with the thresholds in force. */
export async function thresholdsOf(q: Queryable, tenantId: string): Promise<QueueThresholdsSet> {
  const rows = await q.query<{ id: string; thresholds: unknown }>(
    `SELECT q.id, t.thresholds FROM queues q
       LEFT JOIN queue_thresholds t ON t.tenant_id = q.tenant_id AND t.queue_id = q.id
      WHERE q.tenant_id = $1 ORDER BY q.id`,
    [tenantId],
  );
  const queues: QueueThresholdsSet['queues'] = {};
  for (const r of rows) {
    // A stored value that no longer parses (hand-edited) falls back to the defaults rather than failing the view.
    const parsed = r.thresholds == null ? null : QueueThresholds.safeParse(typeof r.thresholds === 'string' ? JSON.parse(r.thresholds) : r.thresholds);
    queues[r.id] = parsed?.success ? { thresholds: parsed.data, custom: true } : { thresholds: DEFAULT_QUEUE_THRESHOLDS, custom: false };
  }
  return { defaults: DEFAULT_QUEUE_THRESHOLDS, queues };
}

/** Sets (or, with null, clears) one queue's thresholds and writes the audit row, in one transaction. */
export async function setThresholds(
  q: Queryable,
  who: { tenantId: string; userId: string; username: string },
  req: SetQueueThresholdsRequest,
): Promise<void> {
  const [queue] = await q.query('SELECT 1 FROM queues WHERE tenant_id = $1 AND id = $2', [who.tenantId, req.queue]);
  if (!queue) throw new CenterError('not_found', `There is no queue "${req.queue}" in your tenant.`);
  if (req.thresholds) {
    await q.query(
      `INSERT INTO queue_thresholds (tenant_id, queue_id, thresholds, updated_by, updated_at) VALUES ($1, $2, $3::jsonb, $4, now())
       ON CONFLICT (tenant_id, queue_id) DO UPDATE SET thresholds = EXCLUDED.thresholds, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [who.tenantId, req.queue, JSON.stringify(req.thresholds), who.username],
    );
  } else {
    await q.query('DELETE FROM queue_thresholds WHERE tenant_id = $1 AND queue_id = $2', [who.tenantId, req.queue]);
  }
  await q.query('INSERT INTO audit_log (tenant_id, user_id, action, reason) VALUES ($1, $2, $3, $4)', [
    who.tenantId,
    who.userId,
    'queue.thresholds',
    `${req.queue}: ${req.thresholds ? JSON.stringify(req.thresholds) : 'defaults'}`,
  ]);
}
