// Wrap-up: the disposition goes through the outbox (`disposition.set`, offline-safe), then the center
// is asked to end after-call work. Notes are never touched here: they stay editable after wrap-up.
import type { FinishWrapUpResult } from '../../../shared/api/index';
import type { Queue } from '../../../shared/domain/entities';
import { setDisposition, type Db } from '../../db/index';
import { readQueue } from '../../db/reference-data';
import { DesktopApiError } from '../api-dispatch';
import { uuidv7 } from '../uuid';
import type { CallControlService } from './call-control';

export interface WrapUpService {
  finish(input: { interactionId: string; disposition?: string }, queueId: string | null): Promise<FinishWrapUpResult>;
  queue(queueId: string): Queue | null;
}

export interface WrapUpOptions {
  db: Db;
  calls: CallControlService;
  /** A disposition was queued for the center: sync it. */
  onLocalWrite(): void;
}

export function createWrapUpService(opts: WrapUpOptions): WrapUpService {
  const { db, calls, onLocalWrite } = opts;
  return {
    queue: (queueId) => readQueue(db, queueId),
    async finish({ interactionId, disposition }, queueId) {
      const queue = queueId ? readQueue(db, queueId) : null;
      if (queue && disposition && !queue.dispositionCodes.some((c) => c.code === disposition)) {
        throw new DesktopApiError('bad_request', `That disposition is not in the ${queue.name} queue's list. Choose one of the listed codes.`);
      }
      if (queue?.dispositionRequired && !disposition) {
        throw new DesktopApiError('disposition_required', `The ${queue.name} queue needs a disposition. Choose one, then select Done.`);
      }
      if (disposition) {
        setDisposition(db, { interactionId, code: disposition }, { mutationId: uuidv7(), now: new Date().toISOString() });
        onLocalWrite();
      }
      try {
        await calls.control({ interactionId, action: 'finishWrapUp' });
        return { disposition: disposition ?? null, wrapUpFinished: true };
      } catch (err) {
        // The disposition is safe in the outbox; only ending after-call work has to wait for the connection.
        if (err instanceof DesktopApiError && err.code === 'offline') return { disposition: disposition ?? null, wrapUpFinished: false };
        throw err;
      }
    },
  };
}
