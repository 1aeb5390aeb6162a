// Reference data the center syncs down: queues with their disposition codes (wrap-up), the VOC topic
// catalogue (the VOC form's type-ahead) and the departments with their members (the VOC desk).
import { Department, Queue, VocTopic } from '../../shared/domain/entities';
import type { z } from 'zod';
import type { Db } from './connection';
import { cached } from './statements';

/** Stored by pull-apply from a parsed change; parsed again so a damaged row never reaches the UI. */
function parseRow<S extends z.ZodTypeAny>(schema: S, data: string): z.infer<S> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(data));
    return parsed.success ? (parsed.data as z.infer<S>) : null;
  } catch {
    return null;
  }
}

/** A queue as last synced, or null when this desktop has not received it. */
export function readQueue(db: Db, id: string): Queue | null {
  const row = cached(db, 'SELECT data FROM queues WHERE id = ?', 'pluck').get(id) as string | undefined;
  return row === undefined ? null : parseRow(Queue, row);
}

/** Every queue as last synced, by id: their names and disposition labels for the UI. */
export function listQueues(db: Db): Queue[] {
  const rows = cached(db, 'SELECT data FROM queues ORDER BY id', 'pluck').all() as string[];
  return rows.map((r) => parseRow(Queue, r)).filter((q): q is Queue => q !== null);
}

/** The whole catalogue as last synced (retired topics too: old items still name them), by name. */
export function listVocTopics(db: Db): VocTopic[] {
  const rows = cached(db, 'SELECT data FROM voc_topics ORDER BY name', 'pluck').all() as string[];
  return rows.map((r) => parseRow(VocTopic, r)).filter((t): t is VocTopic => t !== null);
}

/** Every department as last synced, by name. */
export function listDepartments(db: Db): Department[] {
  const rows = cached(db, 'SELECT data FROM departments ORDER BY name', 'pluck').all() as string[];
  return rows.map((r) => parseRow(Department, r)).filter((d): d is Department => d !== null);
}
