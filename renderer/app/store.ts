// Builds the agent view's store around one DesktopApi: slices, listener middleware with every
// feature's side effects, and the start/stop of the app's life.
import { configureStore, createListenerMiddleware } from '@reduxjs/toolkit';
import type { DesktopApi } from '../../shared/api/index';
import type { Locale } from '../i18n/index';
import { registerAnalysisListeners } from '../features/analysis/analysis-listeners';
import { registerAgentStateListeners } from '../features/agent-state/agent-state-listeners';
import { registerCallControlsListeners } from '../features/call-controls/call-controls-listeners';
import { registerDeepLinkListeners } from '../features/deep-link/deep-link-listeners';
import { registerFlushOnCloseListeners } from '../features/flush-on-close/flush-listeners';
import { registerHistoryListeners } from '../features/history/history-listeners';
import { registerNotesListeners } from '../features/notes/notes-listeners';
import { registerSearchListeners } from '../features/search/search-listeners';
import { registerSessionListeners } from '../features/session/session-listeners';
import { registerSettingsListeners } from '../features/settings/settings-listeners';
import { registerSupervisorListeners } from '../features/supervisor/supervisor-listeners';
import { registerGreatServiceListeners } from '../features/great-service/great-service-listeners';
import { registerInboxListeners } from '../features/inbox/inbox-listeners';
import { registerAttachmentListeners } from '../features/attachments/attachment-listeners';
import { registerVocListeners } from '../features/voc/voc-listeners';
import { registerVocReferenceListeners } from '../features/voc/reference-listeners';
import { registerVocDeskListeners } from '../features/voc-desk/voc-desk-listeners';
import { registerFollowUpsListeners } from '../features/follow-ups/follow-ups-listeners';
import { registerWrapUpListeners } from '../features/wrap-up/wrap-up-listeners';
import { registerImprovementsListeners } from '../features/improvements/improvements-listeners';
import { registerRejectedListeners } from '../features/sync-status/rejected-listeners';
import { appStarted, appStopped } from './actions';
import { registerDesktopEvents } from './desktop-events';
import { DEFAULT_TIMING, type AppExtra, type AppStartListening, type AppTiming } from './listener';
import { rootReducer } from './root-reducer';

export interface AppStoreOptions {
  locale?: Locale;
  timing?: Partial<AppTiming>;
  /** Where the language choice is remembered; null to remember nothing (tests). */
  storage?: Storage | null;
}

export function createAppStore(api: DesktopApi, options: AppStoreOptions = {}) {
  const extra: AppExtra = { api, timing: { ...DEFAULT_TIMING, ...options.timing } };
  const listenerMiddleware = createListenerMiddleware({ extra });
  const startListening = listenerMiddleware.startListening as AppStartListening;
  registerDesktopEvents(startListening);
  registerSessionListeners(startListening);
  registerHistoryListeners(startListening);
  registerNotesListeners(startListening);
  registerVocListeners(startListening);
  registerVocReferenceListeners(startListening);
  registerVocDeskListeners(startListening);
  registerFollowUpsListeners(startListening);
  registerSearchListeners(startListening);
  registerDeepLinkListeners(startListening);
  registerFlushOnCloseListeners(startListening);
  registerSettingsListeners(startListening, options.storage ?? null);
  registerAgentStateListeners(startListening);
  registerCallControlsListeners(startListening);
  registerWrapUpListeners(startListening);
  registerRejectedListeners(startListening);
  registerSupervisorListeners(startListening);
  registerGreatServiceListeners(startListening);
  registerInboxListeners(startListening);
  registerAttachmentListeners(startListening);
  registerAnalysisListeners(startListening);
  registerImprovementsListeners(startListening);

  const store = configureStore({
    reducer: rootReducer,
    preloadedState: options.locale ? { locale: { current: options.locale } } : undefined,
    middleware: (getDefault) => getDefault({ thunk: { extraArgument: extra } }).prepend(listenerMiddleware.middleware),
  });
  store.dispatch(appStarted());

  return {
    store,
    /** Ends the app's life: event subscriptions end and pending effects are cancelled. */
    stop(): void {
      store.dispatch(appStopped());
      listenerMiddleware.clearListeners();
    },
  };
}

export type AppStore = ReturnType<typeof createAppStore>['store'];
