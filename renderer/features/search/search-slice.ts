// Customer search (name, number, email) answered by the desktop's local store, and the profile
// the agent opened from the results (outside a call).
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { CustomerSummary } from '../../../shared/api/index';
import type { ScreenPop } from '../../../shared/domain/index';

export interface OpenedCustomer {
  customerId: string;
  status: 'loading' | 'shown' | 'notFound' | 'failed';
  pop: ScreenPop | null;
  error: string | null;
}

export interface SearchState {
  query: string;
  status: 'idle' | 'searching' | 'done' | 'failed';
  results: CustomerSummary[];
  error: string | null;
  opened: OpenedCustomer | null;
}

const initialState: SearchState = { query: '', status: 'idle', results: [], error: null, opened: null };

const searchSlice = createSlice({
  name: 'search',
  initialState,
  reducers: {
    searchQueryChanged(state, action: PayloadAction<string>) {
      state.query = action.payload;
      if (action.payload.trim() === '') {
        state.status = 'idle';
        state.results = [];
        state.error = null;
      }
    },
    searchStarted(state) {
      state.status = 'searching';
    },
    searchAnswered(state, action: PayloadAction<{ query: string; results: CustomerSummary[] }>) {
      if (action.payload.query !== state.query.trim()) return;
      state.status = 'done';
      state.results = action.payload.results;
      state.error = null;
    },
    searchFailed(state, action: PayloadAction<string>) {
      state.status = 'failed';
      state.error = action.payload;
    },
    searchCleared(state) {
      return { ...initialState, opened: state.opened };
    },
    /** A search result was opened: looked up by id (this computer's store, then the center). */
    customerOpened(state, action: PayloadAction<{ customerId: string }>) {
      state.opened = { customerId: action.payload.customerId, status: 'loading', pop: null, error: null };
      state.query = '';
      state.status = 'idle';
      state.results = [];
    },
    customerViewLoaded(state, action: PayloadAction<{ customerId: string; pop: ScreenPop | null }>) {
      if (state.opened?.customerId !== action.payload.customerId) return;
      state.opened.pop = action.payload.pop;
      state.opened.status = action.payload.pop ? 'shown' : 'notFound';
    },
    customerViewFailed(state, action: PayloadAction<{ customerId: string; message: string }>) {
      if (state.opened?.customerId !== action.payload.customerId) return;
      state.opened.status = 'failed';
      state.opened.error = action.payload.message;
    },
    customerViewClosed(state) {
      state.opened = null;
    },
  },
});

export const {
  searchQueryChanged,
  searchStarted,
  searchAnswered,
  searchFailed,
  searchCleared,
  customerOpened,
  customerViewLoaded,
  customerViewFailed,
  customerViewClosed,
} = searchSlice.actions;
export const searchReducer = searchSlice.reducer;
export const selectSearch = (s: { search: SearchState }) => s.search;
export const selectOpenedCustomer = (s: { search: SearchState }) => s.search.opened;
