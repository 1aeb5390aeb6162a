// Errors a handler raises on purpose; the socket layer turns them into `{ ok: false, error }` acks.
import type { ErrorCode } from '../../../shared/protocol';

export class CenterError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const updateRequired = (schemaVersion: number, min: number) =>
  new CenterError(
    'update_required',
    `This desktop speaks sync schema ${schemaVersion}, older than the center accepts (${min}). Update Earshot desktop; unsynced changes are kept until then.`,
  );
