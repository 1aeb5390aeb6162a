// The UI language: starts from the browser/OS locale, changed by the agent with the language switch.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Locale } from './index';

export interface LocaleState {
  current: Locale;
}

const localeSlice = createSlice({
  name: 'locale',
  initialState: { current: 'en' } as LocaleState,
  reducers: {
    localeChanged(state, action: PayloadAction<Locale>) {
      state.current = action.payload;
    },
  },
});

export const { localeChanged } = localeSlice.actions;
export const localeReducer = localeSlice.reducer;
export const selectLocale = (state: { locale: LocaleState }): Locale => state.locale.current;
