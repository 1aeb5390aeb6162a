// JSON over the center's HTTP API (`/api/analysis/…`, `/api/improvements…`) with the session's bearer
// token, the way sign-in and sign-out already talk to it: each answer the center (or its absence) can
// give becomes a DesktopApiError a person can act on, and what comes back is parsed with the
// contract's schema before anything of it reaches the renderer.
import type { z } from 'zod';
import { DesktopApiError } from './api-dispatch';

const TIMEOUT_MS = 20_000;

export interface CenterHttpDeps {
  centerUrl: string;
  /** The session's token; null when nobody is signed in. */
  token(): string | null;
}

/** What the person is told when signed out, offline, or when the center fails (the rest: the center's own words). */
export interface CenterHttpWords {
  signIn: string;
  offline: string;
  unavailable: string;
}

export interface CenterCall<S extends z.ZodTypeAny> {
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema: S;
}

/** Asks the center with the bearer token; an answer that is not 2xx (or no answer) becomes a DesktopApiError. */
function createCenterFetch(deps: CenterHttpDeps, words: CenterHttpWords, accept: string) {
  return async function request({ method = 'GET', path, query = {}, body }: Omit<CenterCall<z.ZodTypeAny>, 'schema'>): Promise<Response> {
    const token = deps.token();
    if (!token) throw new DesktopApiError('unauthenticated', words.signIn);
    const url = new URL(path, deps.centerUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError') throw new DesktopApiError('timeout', 'The Earshot center did not answer in time. Try again in a moment.');
      throw new DesktopApiError('offline', words.offline);
    }
    if (res.ok) return res;
    const answer = (await res.json().catch(() => null)) as unknown;
    const said = (answer as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const message = typeof said?.message === 'string' ? said.message.slice(0, 500) : `The Earshot center could not answer (HTTP ${res.status}).`;
    if (res.status === 401) throw new DesktopApiError('unauthenticated', 'The center no longer accepts this session. Sign in again.');
    if (res.status === 403) throw new DesktopApiError('forbidden', message);
    if (res.status === 400 || res.status === 404) throw new DesktopApiError('bad_request', message);
    if (res.status === 409) throw new DesktopApiError('conflict', message);
    if (res.status >= 500) throw new DesktopApiError('unavailable', `${words.unavailable} (HTTP ${res.status}). Try again shortly; if it persists, tell IT.`);
    throw new DesktopApiError('internal', message);
  };
}

export function createCenterHttp(deps: CenterHttpDeps, words: CenterHttpWords) {
  const request = createCenterFetch(deps, words, 'application/json');
  return async function call<S extends z.ZodTypeAny>({ schema, ...rest }: CenterCall<S>): Promise<z.infer<S>> {
    const res = await request(rest);
    const answer = (await res.json().catch(() => null)) as unknown;
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new DesktopApiError('bad_answer', 'The Earshot center answered in a way this desktop does not understand. Tell IT: Earshot may need an update.');
    return parsed.data;
  };
}

/** A file from the center (`GET` a path that answers bytes): its type as served, and its bytes. */
export function createCenterDownload(deps: CenterHttpDeps, words: CenterHttpWords) {
  const request = createCenterFetch(deps, words, '*/*');
  return async function download(path: string): Promise<{ contentType: string; bytes: Buffer }> {
    const res = await request({ path });
    return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', bytes: Buffer.from(await res.arrayBuffer()) };
  };
}
