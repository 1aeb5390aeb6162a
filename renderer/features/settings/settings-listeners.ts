// Side effects of the settings: read the effective settings at start (and when the page opens or
// the desktop comes back), save the agent's changes through the DesktopApi, and keep the UI
// language in step with the `language` setting (policy > the agent's choice > the system's).
// The language is also remembered in local storage, so the next start opens in it at once.
import type { ApiResponse } from '../../../shared/api/index';
import type { DesktopSettings } from '../../../shared/api/settings';
import { appStarted, desktopReconnected } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import { localeChanged } from '../../i18n/locale-slice';
import {
  settingChangeRequested,
  settingSaved,
  settingSaveFailed,
  settingsLoaded,
  settingsLoadFailed,
  settingsOpened,
} from './settings-slice';

export const LOCALE_STORAGE_KEY = 'earshot.locale';

/** A transport that throws instead of answering becomes an ordinary error answer. */
async function ask<T>(call: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T>> {
  try {
    return await call();
  } catch (err) {
    return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
  }
}

export function registerSettingsListeners(startListening: AppStartListening, storage: Storage | null): void {
  if (storage) {
    startListening({
      actionCreator: localeChanged,
      effect: (action) => {
        try {
          storage.setItem(LOCALE_STORAGE_KEY, action.payload);
        } catch {
          // Storage full or disabled: the choice lasts for this session only, which is acceptable.
        }
      },
    });
  }

  const load = async (listener: Parameters<Parameters<AppStartListening>[0]['effect']>[1]): Promise<DesktopSettings | null> => {
    const response = await ask(() => listener.extra.api.invoke('getSettings'));
    if (!response.ok) {
      listener.dispatch(settingsLoadFailed(response.error.message));
      return null;
    }
    listener.dispatch(settingsLoaded(response.value));
    return response.value;
  };

  const applyLanguage = (view: DesktopSettings, listener: { getState(): { locale: { current: string } }; dispatch(a: unknown): unknown }) => {
    const language = view.settings.language.value;
    if (language && language !== listener.getState().locale.current) listener.dispatch(localeChanged(language));
  };

  startListening({
    predicate: (action) => appStarted.match(action) || desktopReconnected.match(action) || settingsOpened.match(action),
    effect: async (_action, listener) => {
      listener.cancelActiveListeners();
      const view = await load(listener);
      if (view) applyLanguage(view, listener);
    },
  });

  startListening({
    actionCreator: settingChangeRequested,
    effect: async (action, listener) => {
      const change = action.payload;
      const response = await ask(() => listener.extra.api.invoke('setSetting', change));
      if (!response.ok) {
        listener.dispatch(settingSaveFailed({ key: change.key, message: response.error.message }));
        // Locked meanwhile (IT pushed a policy)? Show what holds now.
        if (response.error.code === 'setting_locked') await load(listener);
        return;
      }
      listener.dispatch(settingSaved({ key: change.key, view: response.value }));
      applyLanguage(response.value, listener);
    },
  });

  // The language switch in the agent bar is the same setting: keep the agent's choice on the desktop too.
  startListening({
    actionCreator: localeChanged,
    effect: (action, listener) => {
      const language = listener.getState().settings.view?.settings.language;
      if (!language?.editable || language.value === action.payload) return;
      listener.dispatch(settingChangeRequested({ key: 'language', value: action.payload }));
    },
  });
}
