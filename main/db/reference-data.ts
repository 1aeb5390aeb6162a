// Reference data the center syncs down (queues with their disposition codes), read for wrap-up.
import { Queue } from '../../shared/domain/entities';
import type { Db } from './connection';

/** A queue as last synced, or null when this desktop has not received it. */
export function readQueue(db: Db, id: string): Queue | null {
  const row = db.prepare('SELECT data FROM queues WHERE id = ?').get(id) as { data: string } | undefined;
  if (!row) return null;
  // Stored by pull-apply from a parsed change; parse again so a damaged row never reaches the UI.
  const parsed = Queue.safeParse(JSON.parse(row.data));
  return parsed.success ? parsed.data : null;
}
