// Asks the desktop for the analysis of the chosen period, and for the opened cell's items. The cell's
// items are asked for the period the matrix on screen shows, so a click never mixes two periods.
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
      const { view, cell } = listener.getState().analysis;
      if (!view || !cell) return;
      const append = analysisMoreItemsAsked.match(action);
      const { topic, type } = cell;
      const response = await listener.extra.api.invoke('getAnalysisCell', {
        from: view.matrix.period.from,
        to: view.matrix.period.to,
        topic,
        type,
        limit: CELL_PAGE,
        ...(append && cell.next ? { after: cell.next } : {}),
      });
      if (response.ok) listener.dispatch(analysisCellLoaded({ topic, type, items: response.value.items, next: response.value.next, append }));
      else listener.dispatch(analysisCellFailed({ topic, type, error: response.error }));
    },
  });
}
