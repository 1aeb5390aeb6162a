// Loads the VOC catalogue and departments from the desktop once signed in, and again after each
// sync that brought changes (the desktop applies them with the pull; reading them is a local query).
import { desktopEvent } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import { sessionLoaded } from '../session/session-slice';
import { vocReferenceLoaded } from './reference-slice';

export function registerVocReferenceListeners(startListening: AppStartListening): void {
  startListening({
    predicate: (action, state, before) =>
      (sessionLoaded.match(action) && action.payload.signedIn) ||
      (desktopEvent.syncStatus.match(action) && state.session.status === 'signedIn' && action.payload.lastSyncAt !== before.syncStatus.current?.lastSyncAt),
    effect: async (_action, listener) => {
      listener.cancelActiveListeners();
      const response = await listener.extra.api.invoke('getVocReference');
      if (response.ok) listener.dispatch(vocReferenceLoaded(response.value));
    },
  });
}
