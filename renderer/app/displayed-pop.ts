// Which profile the pop pane shows: the offered call's caller, or else the customer the agent
// opened from search. History follows whichever it is.
import type { ScreenPop } from '../../shared/domain/index';
import type { RootState } from './root-reducer';

export const selectDisplayedPop = (state: RootState): ScreenPop | null =>
  state.screenPop.call ? state.screenPop.pop : (state.search.opened?.pop ?? null);
