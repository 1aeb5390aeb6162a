// Web mode's transport for the DesktopApi: JSON messages over one WebSocket at `/api` on the
// web host (127.0.0.1 only; the per-launch token travels as an HttpOnly SameSite=Strict cookie).
// The same contract as Electron IPC: the host parses `args` with desktopApiMethods[method].args.
import { z } from 'zod';

export const WEB_BRIDGE_PATH = '/api';
export const TOKEN_COOKIE = 'earshot_token';

export const BridgeRequest = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  args: z.array(z.unknown()).max(8),
});
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export const BridgeMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result'),
    id: z.number().int().nonnegative(),
    response: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
    ]),
  }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type BridgeMessage = z.infer<typeof BridgeMessage>;
