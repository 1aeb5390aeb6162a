// The VOC analysis (DesktopApi getAnalysis, getAnalysisCell): read from the center's HTTP analysis
// API (`GET /api/analysis/…`, server/src/voc/analysis-http.ts) with the session's bearer token, the
// way sign-in and sign-out already talk to it. The center serves the analysis over HTTP only (its CSV
// exports stream from the same routes), so no socket.io event is added for it. Nothing is kept here:
// offline, the view says so (`offline`) rather than show old figures.
import type { z } from 'zod';
import { AnalysisCellPage, AnalysisFigures, AnalysisMatrix, type AnalysisCellRequest, type AnalysisRequest, type AnalysisView } from '../../shared/api/analysis';
import { createCenterHttp } from './center-http';

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
  const call = createCenterHttp(deps, { signIn: 'Sign in first to see the analysis.', offline: OFFLINE, unavailable: 'The Earshot center could not work out the analysis' });
  const get = <S extends z.ZodTypeAny>(what: string, query: Record<string, string | number | undefined>, schema: S) => call({ path: `/api/analysis/${what}`, query, schema });

  return {
    async view(request) {
      const q = scopeOf(request);
      const [matrix, figures] = await Promise.all([get('matrix', { ...q, split: request.split }, AnalysisMatrix), get('figures', q, AnalysisFigures)]);
      return { matrix, figures };
    },
    cell: (request) => get('cell', { ...scopeOf(request), topic: request.topic, type: request.type, after: request.after, limit: request.limit }, AnalysisCellPage),
  };
}
