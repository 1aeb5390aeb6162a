// Whether the keyboard-shortcut sheet is showing.
import { createSlice } from '@reduxjs/toolkit';

export interface ShortcutsState {
  sheetOpen: boolean;
}

const shortcutsSlice = createSlice({
  name: 'shortcuts',
  initialState: { sheetOpen: false } as ShortcutsState,
  reducers: {
    shortcutSheetOpened(state) {
      state.sheetOpen = true;
    },
    shortcutSheetClosed(state) {
      state.sheetOpen = false;
    },
  },
});

export const { shortcutSheetOpened, shortcutSheetClosed } = shortcutsSlice.actions;
export const shortcutsReducer = shortcutsSlice.reducer;
export const selectShortcutSheetOpen = (s: { shortcuts: ShortcutsState }) => s.shortcuts.sheetOpen;
