// Errors and acknowledgements: what a refused request carries, and the shape of every socket.io ack.
import { z } from 'zod';

export const ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'rate_limited',
  'update_required',
  'conflict',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const WireError = z.object({ code: ErrorCode, message: z.string() });
export type WireError = z.infer<typeof WireError>;
/** Every socket.io acknowledgement is one of these. */
export type Ack<T> = { ok: true; value: T } | { ok: false; error: WireError };
export const ackSchema = <T extends z.ZodTypeAny>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: WireError }),
  ]);
