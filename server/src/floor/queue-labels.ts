// A queue's name and its disposition codes' labels in the agents' languages (`queue label`): kept
// beside the name as given, synced to every desktop like the rest of the queue's reference data.
import { Labels } from '../../../shared/domain/entities';
import type { Queue } from '../../../shared/domain';
import { loadQueues } from '../db/records';
import type { ChangeTx } from '../sync/change-log';

export class QueueLabelError extends Error {}

export interface QueueLabelInput {
  queueId: string;
  /** BCP-47, e.g. `ko` or `en-GB`. */
  lang: string;
  /** The queue's name in `lang`. */
  name?: string;
  /** A disposition code of the queue, and its label in `lang`. */
  code?: string;
  label?: string;
}

/** Checks the input before any database is opened: a language tag, and something to label. */
export function validateQueueLabel(input: QueueLabelInput): void {
  const lang = Labels.safeParse({ [input.lang]: 'x' });
  if (!lang.success) throw new QueueLabelError(`Language ${JSON.stringify(input.lang)} is not a BCP-47 tag; give one like ko, en or en-GB.`);
  if (input.name === undefined && input.code === undefined) throw new QueueLabelError('Say what to label: --name TEXT for the queue, or --code CODE --label TEXT for a disposition.');
  if ((input.code === undefined) !== (input.label === undefined)) throw new QueueLabelError('A disposition is labelled with both --code CODE and --label TEXT.');
  for (const [what, text] of [['name', input.name], ['label', input.label]] as const) {
    if (text !== undefined && (text.trim() === '' || text.length > 200)) throw new QueueLabelError(`The ${what} must be 1 to 200 characters.`);
  }
}

/** Sets the labels and records the queue for the desktops; refuses an unknown queue or code, naming what there is. */
export async function setQueueLabel(tx: ChangeTx, input: QueueLabelInput): Promise<Queue> {
  validateQueueLabel(input);
  const queues = await loadQueues(tx.q, tx.tenantId);
  const queue = queues.find((x) => x.id === input.queueId);
  if (!queue) throw new QueueLabelError(`Tenant ${tx.tenantId} has no queue ${JSON.stringify(input.queueId)}; its queues: ${queues.map((x) => x.id).join(', ') || 'none'}.`);
  const entry = (text: string) => JSON.stringify({ [input.lang]: text.trim() });
  if (input.name !== undefined) {
    await tx.q.query('UPDATE queues SET labels = labels || $3::jsonb WHERE tenant_id = $1 AND id = $2', [tx.tenantId, queue.id, entry(input.name)]);
  }
  if (input.code !== undefined && input.label !== undefined) {
    if (!queue.dispositionCodes.some((c) => c.code === input.code)) {
      throw new QueueLabelError(`Queue ${queue.id} has no disposition code ${JSON.stringify(input.code)}; its codes: ${queue.dispositionCodes.map((c) => c.code).join(', ') || 'none'}.`);
    }
    await tx.q.query('UPDATE queue_disposition_codes SET labels = labels || $4::jsonb WHERE tenant_id = $1 AND queue_id = $2 AND code = $3', [
      tx.tenantId,
      queue.id,
      input.code,
      entry(input.label),
    ]);
  }
  const [now] = await loadQueues(tx.q, tx.tenantId, [queue.id]);
  tx.record({ entity: 'queue', id: now!.id, op: 'upsert', data: now });
  return now!;
}
