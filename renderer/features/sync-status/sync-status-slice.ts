// The desktop's sync state as last reported: online/offline/syncing/update required, the number of
// changes waiting, and the mutations the center refused (with its reasons).
import { createSlice } from '@reduxjs/toolkit';
import type { SyncStatus } from '../../../shared/api/index';
import { desktopEvent, syncStatusLoaded } from '../../app/actions';

export interface SyncStatusState {
  /** null until the desktop has reported once. */
  current: SyncStatus | null;
}

const initialState: SyncStatusState = { current: null };

const syncStatusSlice = createSlice({
  name: 'syncStatus',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(desktopEvent.syncStatus, (state, action) => {
        state.current = action.payload;
      })
      .addCase(syncStatusLoaded, (state, action) => {
        state.current = action.payload;
      });
  },
});

export const syncStatusReducer = syncStatusSlice.reducer;
export const selectSyncStatus = (s: { syncStatus: SyncStatusState }) => s.syncStatus.current;
