// Web mode's transport for the DesktopApi: JSON messages over one WebSocket at `api` beside the page
// on the web host (127.0.0.1 only). The host serves everything under a path of its own per launch,
// `/<launch>/`, and the per-launch token travels as an HttpOnly SameSite=Strict cookie named for that
// launch and bound to that path: a browser sends it to no other path, so to no other 127.0.0.1 port's
// server either (cookies ignore ports; paths they do not). The same contract as Electron IPC: the host
// parses `args` with desktopApiMethods[method].args.
import { z } from 'zod';

/** The bridge socket's path, relative to the page's folder (the launch's own path). */
export const WEB_BRIDGE_PATH = 'api';
/** The token cookie's name is this followed by the launch's id. */
export const TOKEN_COOKIE_PREFIX = 'earshot_token_';

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
