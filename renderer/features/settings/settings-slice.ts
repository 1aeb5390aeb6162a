// The settings page: whether it is open, the effective settings as the desktop last reported them
// (value, source and lock per key), and the state of the agent's last change.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { DesktopSettings, UserEditableKey, UserSettingChange } from '../../../shared/api/settings';

export interface SettingsState {
  open: boolean;
  view: DesktopSettings | null;
  loadError: string | null;
  /** The key being saved, if one is. */
  saving: UserEditableKey | null;
  /** The key saved last (for the "Saved" note). */
  saved: UserEditableKey | null;
  /** Why the last change of a key was refused (locked, invalid), by key. */
  errors: Partial<Record<UserEditableKey, string>>;
}

const initialState: SettingsState = { open: false, view: null, loadError: null, saving: null, saved: null, errors: {} };

/** The agent changed a setting on the page (the listener saves it through the DesktopApi). */
export const settingChangeRequested = createAction<UserSettingChange>('settings/changeRequested');

const settingsSlice = createSlice({
  name: 'settings',
  initialState,
  reducers: {
    settingsOpened(state) {
      state.open = true;
      state.saved = null;
      state.errors = {};
    },
    settingsClosed(state) {
      state.open = false;
    },
    settingsLoaded(state, action: PayloadAction<DesktopSettings>) {
      state.view = action.payload;
      state.loadError = null;
    },
    settingsLoadFailed(state, action: PayloadAction<string>) {
      state.loadError = action.payload;
    },
    settingSaved(state, action: PayloadAction<{ key: UserEditableKey; view: DesktopSettings }>) {
      state.view = action.payload.view;
      state.saving = null;
      state.saved = action.payload.key;
      delete state.errors[action.payload.key];
    },
    settingSaveFailed(state, action: PayloadAction<{ key: UserEditableKey; message: string }>) {
      state.saving = null;
      state.saved = null;
      state.errors[action.payload.key] = action.payload.message;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(settingChangeRequested, (state, action) => {
      state.saving = action.payload.key;
      state.saved = null;
      delete state.errors[action.payload.key];
    });
  },
});

export const { settingsOpened, settingsClosed, settingsLoaded, settingsLoadFailed, settingSaved, settingSaveFailed } = settingsSlice.actions;
export const settingsReducer = settingsSlice.reducer;

type WithSettings = { settings: SettingsState };
export const selectSettingsOpen = (s: WithSettings) => s.settings.open;
export const selectSettingsView = (s: WithSettings) => s.settings.view;
export const selectSettingsLoadError = (s: WithSettings) => s.settings.loadError;
export const selectSettingSaving = (s: WithSettings) => s.settings.saving;
export const selectSettingSaved = (s: WithSettings) => s.settings.saved;
export const selectSettingErrors = (s: WithSettings) => s.settings.errors;
/** The language IT or the agent chose (null: follow the system), and whether it is locked. */
export const selectLanguageSetting = (s: WithSettings) => s.settings.view?.settings.language ?? null;
