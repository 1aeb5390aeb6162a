// Reloads the history entities whenever the pop pane shows a different profile.
import { selectDisplayedPop } from '../../app/displayed-pop';
import type { AppStartListening } from '../../app/listener';
import { historyLoaded } from './history-slice';

export function registerHistoryListeners(startListening: AppStartListening): void {
  startListening({
    predicate: (_action, current, previous) => selectDisplayedPop(current) !== selectDisplayedPop(previous),
    effect: (_action, listener) => {
      listener.dispatch(historyLoaded(selectDisplayedPop(listener.getState())?.history ?? []));
    },
  });
}
