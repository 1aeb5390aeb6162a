// The one door every DesktopApi call goes through, from Electron IPC and from the web bridge alike:
// the method must be in the contract, its arguments must parse with the contract's schema, and only
// then does a service run. Whatever happens, the caller gets an ApiResponse, never an exception.
import type { z } from 'zod';
import {
  desktopApiMethods,
  type ApiResponse,
  type DesktopApiHandlers,
  type DesktopApiMethod,
} from '../../shared/api/index';

/** An error a service throws on purpose, with a code the renderer can act on. */
export class DesktopApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const isApiMethod = (method: unknown): method is DesktopApiMethod =>
  typeof method === 'string' && Object.prototype.hasOwnProperty.call(desktopApiMethods, method);

/** Says what was wrong with the arguments, in terms a developer can act on, without echoing values. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ');
}

export async function dispatchApiCall(
  handlers: DesktopApiHandlers,
  method: unknown,
  args: unknown,
): Promise<ApiResponse<unknown>> {
  if (!isApiMethod(method)) {
    const name = typeof method === 'string' ? method.slice(0, 64) : typeof method;
    return { ok: false, error: { code: 'unknown_method', message: `There is no desktop method named '${name}'.` } };
  }
  const parsed = desktopApiMethods[method].args.safeParse(args);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'bad_request', message: `Invalid arguments for ${method}: ${describeZodError(parsed.error)}` },
    };
  }
  try {
    const handler = handlers[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await handler(...(parsed.data as unknown[]));
    return { ok: true, value };
  } catch (err) {
    if (err instanceof DesktopApiError) return { ok: false, error: { code: err.code, message: err.message } };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${message}` } };
  }
}
