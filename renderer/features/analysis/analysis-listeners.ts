// Asks the desktop for the analysis of the chosen period and scope, and for the opened cell's items.
// The cell's items are asked for the period and scope the matrix on screen shows (and the cell's
// tier when it is split by tier), so a click never mixes two periods or scopes.
import type { AppStartListening } from '../../app/listener';
import {
  analysisCellChosen,
  analysisCellFailed,
  analysisCellLoaded,
  analysisFailed,
  analysisLoaded,
  analysisLoading,
  analysisMoreItemsAsked,
  analysisOpened,
  analysisPeriodChosen,
} from './analysis-slice';

/** Items asked for per page. */
export const CELL_PAGE = 50;

export function registerAnalysisListeners(startListening: AppStartListening): void {
  startListening({
    predicate: (action, state) => analysisPeriodChosen.match(action) || (analysisOpened.match(action) && (state.analysis.status === 'idle' || state.analysis.status === 'failed')),
    effect: async (action, listener) => {
      listener.cancelActiveListeners();
      if (analysisOpened.match(action)) listener.dispatch(analysisLoading());
      const response = await listener.extra.api.invoke('getAnalysis', listener.getState().analysis.request);
      if (response.ok) listener.dispatch(analysisLoaded(response.value));
      else listener.dispatch(analysisFailed(response.error));
    },
  });

  startListening({
    predicate: (action, state) => analysisCellChosen.match(action) || (analysisMoreItemsAsked.match(action) && Boolean(state.analysis.cell?.next)),
    effect: async (action, listener) => {
      listener.cancelActiveListeners();
      const { view, cell, shown } = listener.getState().analysis;
      if (!view || !cell) return;
      const append = analysisMoreItemsAsked.match(action);
      const { topic, type, tier } = cell;
      const { split: _split, ...scope } = shown;
      const response = await listener.extra.api.invoke('getAnalysisCell', {
        ...scope,
        from: view.matrix.period.from,
        to: view.matrix.period.to,
        ...(tier ? { tier } : {}),
        topic,
        type,
        limit: CELL_PAGE,
        ...(append && cell.next ? { after: cell.next } : {}),
      });
      const which = { topic, type, ...(tier ? { tier } : {}) };
      if (response.ok) listener.dispatch(analysisCellLoaded({ ...which, items: response.value.items, next: response.value.next, append }));
      else listener.dispatch(analysisCellFailed({ ...which, error: response.error }));
    },
  });
}
