// The VOC analysis view (VOC.md step 9): the period and scope asked for (department, queue, channel,
// value tier; split by tier or not), the center's matrix and figures for it, and the one cell opened
// below the matrix with its first page(s) of items. Read-only; nothing of it is kept beyond this session.
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { AnalysisCellItem, AnalysisRequest, AnalysisView } from '../../../shared/api/analysis';
import type { ApiError } from '../../../shared/api/index';
import type { VocType } from '../../../shared/domain/index';
import { sessionLoaded } from '../session/session-slice';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export interface OpenCell {
  /** The catalogue topic; "" for unclassified. */
  topic: string;
  type: VocType;
  /** A cell of the matrix split by value tier: its tier ("none": no tier known). */
  tier?: AnalysisTier;
  items: AnalysisCellItem[];
  next: string | null;
  status: LoadStatus;
  error: ApiError | null;
}

export interface AnalysisState {
  /** The period and scope asked for; empty: the center's default (the last 90 days in the tenant's time zone, the whole tenant). */
  request: AnalysisRequest;
  /** The request the view on screen answers (a cell's items are asked for in its scope). */
  shown: AnalysisRequest;
  status: LoadStatus;
  view: AnalysisView | null;
  error: ApiError | null;
  cell: OpenCell | null;
}

export type AnalysisTier = NonNullable<AnalysisRequest['tier']>;

const initialState: AnalysisState = { request: {}, shown: {}, status: 'idle', view: null, error: null, cell: null };
const sameCell = (cell: OpenCell | null, p: { topic: string; type: VocType; tier?: AnalysisTier }) => Boolean(cell && cell.topic === p.topic && cell.type === p.type && cell.tier === p.tier);

const analysisSlice = createSlice({
  name: 'analysis',
  initialState,
  reducers: {
    /** The view was opened: loads the period unless it already has. */
    analysisOpened() {},
    analysisPeriodChosen(state, action: PayloadAction<AnalysisRequest>) {
      state.request = action.payload;
      state.status = 'loading';
      state.error = null;
      state.cell = null;
    },
    analysisLoading(state) {
      state.status = 'loading';
      state.error = null;
    },
    analysisLoaded(state, action: PayloadAction<AnalysisView>) {
      state.status = 'loaded';
      state.view = action.payload;
      state.shown = state.request;
    },
    analysisFailed(state, action: PayloadAction<ApiError>) {
      state.status = 'failed';
      state.error = action.payload;
    },
    analysisCellChosen(state, action: PayloadAction<{ topic: string; type: VocType; tier?: AnalysisTier }>) {
      state.cell = { ...action.payload, items: [], next: null, status: 'loading', error: null };
    },
    analysisMoreItemsAsked(state) {
      if (state.cell?.next) {
        state.cell.status = 'loading';
        state.cell.error = null;
      }
    },
    analysisCellLoaded(state, action: PayloadAction<{ topic: string; type: VocType; tier?: AnalysisTier; items: AnalysisCellItem[]; next: string | null; append: boolean }>) {
      const { items, next, append } = action.payload;
      if (!state.cell || !sameCell(state.cell, action.payload)) return;
      state.cell.items = append ? [...state.cell.items, ...items] : items;
      state.cell.next = next;
      state.cell.status = 'loaded';
    },
    analysisCellFailed(state, action: PayloadAction<{ topic: string; type: VocType; tier?: AnalysisTier; error: ApiError }>) {
      if (!state.cell || !sameCell(state.cell, action.payload)) return;
      state.cell.status = 'failed';
      state.cell.error = action.payload.error;
    },
    analysisCellClosed(state) {
      state.cell = null;
    },
  },
  extraReducers: (builder) => {
    // Another person signing in here starts from nothing.
    builder.addCase(sessionLoaded, () => initialState);
  },
});

export const {
  analysisOpened,
  analysisPeriodChosen,
  analysisLoading,
  analysisLoaded,
  analysisFailed,
  analysisCellChosen,
  analysisMoreItemsAsked,
  analysisCellLoaded,
  analysisCellFailed,
  analysisCellClosed,
} = analysisSlice.actions;
export const analysisReducer = analysisSlice.reducer;

export const selectAnalysis = (s: { analysis: AnalysisState }): AnalysisState => s.analysis;
