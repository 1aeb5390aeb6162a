// The popped customer's cross-channel history: one entity per interaction, newest first, with the
// agent's filters (channel, VOC type) and which rows have their notes expanded.
import { createEntityAdapter, createSelector, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Channel, HistoryItem, VocType } from '../../../shared/domain/index';

const historyAdapter = createEntityAdapter<HistoryItem>({
  sortComparer: (a, b) => b.startedAt.localeCompare(a.startedAt),
});

export interface HistoryFilters {
  channel: Channel | 'all';
  vocType: VocType | 'all';
}

export interface HistoryState {
  items: ReturnType<typeof historyAdapter.getInitialState>;
  filters: HistoryFilters;
  expanded: Record<string, true>;
}

const initialState: HistoryState = {
  items: historyAdapter.getInitialState(),
  filters: { channel: 'all', vocType: 'all' },
  expanded: {},
};

const historySlice = createSlice({
  name: 'history',
  initialState,
  reducers: {
    historyLoaded(state, action: PayloadAction<HistoryItem[]>) {
      historyAdapter.setAll(state.items, action.payload);
      const known = new Set(action.payload.map((h) => h.id));
      for (const id of Object.keys(state.expanded)) if (!known.has(id)) delete state.expanded[id];
    },
    channelFilterChanged(state, action: PayloadAction<HistoryFilters['channel']>) {
      state.filters.channel = action.payload;
    },
    vocTypeFilterChanged(state, action: PayloadAction<HistoryFilters['vocType']>) {
      state.filters.vocType = action.payload;
    },
    historyItemToggled(state, action: PayloadAction<string>) {
      if (state.expanded[action.payload]) delete state.expanded[action.payload];
      else state.expanded[action.payload] = true;
    },
  },
});

export const { historyLoaded, channelFilterChanged, vocTypeFilterChanged, historyItemToggled } = historySlice.actions;
export const historyReducer = historySlice.reducer;

type WithHistory = { history: HistoryState };
const itemSelectors = historyAdapter.getSelectors((s: WithHistory) => s.history.items);
export const selectAllHistory = itemSelectors.selectAll;
export const selectHistoryFilters = (s: WithHistory) => s.history.filters;
export const selectExpandedHistory = (s: WithHistory) => s.history.expanded;

export const selectFilteredHistory = createSelector([selectAllHistory, selectHistoryFilters], (items, filters) =>
  items.filter(
    (item) =>
      (filters.channel === 'all' || item.channel === filters.channel) &&
      (filters.vocType === 'all' || item.vocItems.some((v) => v.type === filters.vocType)),
  ),
);
