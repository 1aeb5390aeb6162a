// Errors a handler raises on purpose; the socket layer turns them into `{ ok: false, error }` acks,
// the floor relay carries them between nodes. Every room may raise one; it imports nothing of ours
// but the wire's error codes.
import type { ErrorCode } from '../../../shared/protocol';

export class CenterError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
