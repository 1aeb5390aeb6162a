// Deep links: the shell's `openCustomer` event (an `earshot://customer/<id>` link from another app,
// a first launch or a second one) opens that customer's profile exactly as picking them in search
// does: `customerOpened`, looked up by id — the local store first, then the center (search-listeners).
import { appStarted, appStopped } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import { customerOpened } from '../search/search-slice';

export function registerDeepLinkListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const off = listener.extra.api.on('openCustomer', ({ customerId }) => listener.dispatch(customerOpened({ customerId })));
      try {
        await listener.condition(appStopped.match);
      } finally {
        off();
      }
    },
  });
}
