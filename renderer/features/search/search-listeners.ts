// Runs a customer search once the agent pauses typing (a newer query cancels the older one), and
// loads the profile of a customer opened from the results.
import type { AppStartListening } from '../../app/listener';
import {
  customerOpened,
  customerViewFailed,
  customerViewLoaded,
  searchAnswered,
  searchFailed,
  searchQueryChanged,
  searchStarted,
} from './search-slice';

export function registerSearchListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: searchQueryChanged,
    effect: async (action, listener) => {
      listener.cancelActiveListeners();
      const query = action.payload.trim();
      if (query === '') return;
      await listener.delay(listener.extra.timing.searchDelayMs);
      listener.dispatch(searchStarted());
      const response = await listener.extra.api.invoke('searchCustomers', { query: query.slice(0, 200) });
      // Cancelled while waiting: a newer query owns the result list now.
      listener.signal.throwIfAborted();
      if (response.ok) listener.dispatch(searchAnswered({ query, results: response.value }));
      else listener.dispatch(searchFailed(response.error.message));
    },
  });

  startListening({
    actionCreator: customerOpened,
    effect: async (action, listener) => {
      // A newer pick supersedes this one: its answer must not replace the newer profile.
      listener.cancelActiveListeners();
      const { customerId } = action.payload;
      // By id: the local store first, then the center (customers with no phone on record open too).
      const response = await listener.extra.api.invoke('lookupCustomer', { customerId });
      listener.signal.throwIfAborted();
      if (response.ok) listener.dispatch(customerViewLoaded({ customerId, pop: response.value }));
      else listener.dispatch(customerViewFailed({ customerId, message: response.error.message }));
    },
  });
}
