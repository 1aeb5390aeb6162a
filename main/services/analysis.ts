// The VOC analysis (DesktopApi getAnalysis, getAnalysisCell): read from the center's HTTP analysis
// API (`GET /api/analysis/…`, server/src/voc/analysis-http.ts) with the session's bearer token, the
// way sign-in and sign-out already talk to it. The center serves the analysis over HTTP only (its CSV
// exports stream from the same routes), so no socket.io event is added for it. Nothing is kept here:
// offline, the view says so (`offline`) rather than show old figures.
import type { z } from 'zod';
import { AnalysisCellPage, AnalysisFigures, AnalysisMatrix, type AnalysisCellRequest, type AnalysisRequest, type AnalysisView } from '../../shared/api/analysis';
import { DesktopApiError } from './api-dispatch';

const ANALYSIS_TIMEOUT_MS = 20_000;

export interface AnalysisReaderDeps {
  centerUrl: string;
  /** The session's token; null when nobody is signed in. */
  token(): string | null;
}

export interface AnalysisReader {
  view(request: AnalysisRequest): Promise<AnalysisView>;
  cell(request: AnalysisCellRequest): Promise<AnalysisCellPage>;
}

/** The period and scope, as the center's query string has them. */
const scopeOf = (r: AnalysisRequest) => ({ from: r.from, to: r.to, department: r.department, queue: r.queue, channel: r.channel, tier: r.tier });

const OFFLINE = 'The Earshot center cannot be reached, so the analysis cannot be shown now. It is read from the center only; try again when the connection is back.';

export function createAnalysisReader(deps: AnalysisReaderDeps): AnalysisReader {
  async function get<S extends z.ZodTypeAny>(what: string, query: Record<string, string | number | undefined>, schema: S): Promise<z.infer<S>> {
    const token = deps.token();
    if (!token) throw new DesktopApiError('unauthenticated', 'Sign in first to see the analysis.');
    const url = new URL(`/api/analysis/${what}`, deps.centerUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(ANALYSIS_TIMEOUT_MS) });
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError') throw new DesktopApiError('timeout', 'The Earshot center did not answer in time. Try again in a moment.');
      throw new DesktopApiError('offline', OFFLINE);
    }
    const body = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) {
      const said = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const message = typeof said?.message === 'string' ? said.message.slice(0, 500) : `The Earshot center could not answer (HTTP ${res.status}).`;
      if (res.status === 401) throw new DesktopApiError('unauthenticated', 'The center no longer accepts this session. Sign in again.');
      if (res.status === 403) throw new DesktopApiError('forbidden', message);
      if (res.status === 400 || res.status === 404) throw new DesktopApiError('bad_request', message);
      if (res.status >= 500) throw new DesktopApiError('unavailable', `The Earshot center could not work out the analysis (HTTP ${res.status}). Try again shortly; if it persists, tell IT.`);
      throw new DesktopApiError('internal', message);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new DesktopApiError('bad_answer', 'The Earshot center answered in a way this desktop does not understand. Tell IT: Earshot may need an update.');
    return parsed.data;
  }

  return {
    async view(request) {
      const q = scopeOf(request);
      const [matrix, figures] = await Promise.all([get('matrix', { ...q, split: request.split }, AnalysisMatrix), get('figures', q, AnalysisFigures)]);
      return { matrix, figures };
    },
    cell: (request) => get('cell', { ...scopeOf(request), topic: request.topic, type: request.type, after: request.after, limit: request.limit }, AnalysisCellPage),
  };
}
