// Holds whatever transport carries the DesktopApi (preload IPC or the web bridge) to the contract:
// every result and every event payload is parsed with its zod schema before the app sees it.
import type { z } from 'zod';
import {
  desktopApiEvents,
  desktopApiMethods,
  type ApiResponse,
  type DesktopApi,
  type DesktopApiEvent,
  type DesktopApiMethod,
  type EventPayload,
} from '../shared/api/index';

/** Names the fields that failed, never their values: payloads carry names, numbers and note text. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? issue.path.join('.') : 'value'))
    .join(', ');
}

/** Parses one method's raw response; a malformed value becomes an error response, never a throw. */
export function checkResponse(method: DesktopApiMethod, response: ApiResponse<unknown>): ApiResponse<unknown> {
  if (!response.ok) return response;
  const parsed = desktopApiMethods[method].result.safeParse(response.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: {
      code: 'bad_response',
      message: `The desktop service sent an answer to ${method} this screen cannot read (${describeIssues(parsed.error)}). Restart Earshot; if it keeps happening, tell IT.`,
    },
  };
}

/** Parses one event's raw payload; null when it does not match the contract (the event is dropped). */
export function checkEvent<E extends DesktopApiEvent>(event: E, payload: unknown): EventPayload<E> | null {
  const parsed = desktopApiEvents[event].safeParse(payload);
  if (parsed.success) return parsed.data as EventPayload<E>;
  console.warn(`earshot: dropped a '${event}' event that does not match the contract (${describeIssues(parsed.error)})`);
  return null;
}

export const isDesktopApiEvent = (name: string): name is DesktopApiEvent =>
  Object.prototype.hasOwnProperty.call(desktopApiEvents, name);

/** Wraps a transport so that the app only ever receives contract-shaped values. */
export function withContractCheck(transport: DesktopApi): DesktopApi {
  return {
    async invoke(method, ...args) {
      let response: ApiResponse<unknown>;
      try {
        response = await transport.invoke(method, ...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        response = {
          ok: false,
          error: { code: 'transport', message: `Could not reach the desktop service for ${method}: ${message}. Try again.` },
        };
      }
      // The checked value has the contract's shape: the cast only restates what the schema proved.
      return checkResponse(method, response) as Awaited<ReturnType<DesktopApi['invoke']>> as never;
    },
    on(event, listener) {
      return transport.on(event, (payload: unknown) => {
        const checked = checkEvent(event, payload);
        if (checked !== null) listener(checked);
      });
    },
  };
}
