// Remembers the agent's language choice on this computer, so the next start opens in it.
import { localeChanged } from '../../i18n/locale-slice';
import type { AppStartListening } from '../../app/listener';

export const LOCALE_STORAGE_KEY = 'earshot.locale';

export function registerSettingsListeners(startListening: AppStartListening, storage: Storage | null): void {
  if (!storage) return;
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
