// Improvements (VOC.md step 10) in the renderer: the improvements this person may see (the analysis
// counts the open ones per topic; the desk lists its departments'), the drill list's selected items,
// the proposal being written, the improvement open in the desk with its customers to tell, and the
// done ones the floor heard of ("Because customers told us"). Nothing of it outlives the session.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { ApiError } from '../../../shared/api/index';
import {
  isOpenImprovement,
  type Improvement,
  type ImprovementCustomer,
  type ImprovementDetail,
  type ImprovementSource,
  type ImprovementStatus,
} from '../../../shared/api/improvements';
import type { NotifyChannel } from '../../../shared/domain/index';
import type { ImprovementShared } from '../../../shared/protocol/index';
import { analysisCellChosen, analysisPeriodChosen } from '../analysis/analysis-slice';
import { sessionLoaded } from '../session/session-slice';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export interface ImprovementDraft {
  source: ImprovementSource;
  /** How many items it answers, as the person picked them (a cell: its count). */
  count: number;
  title: string;
  change: string;
  departmentId: string;
  targetDate: string;
  topicId: string | null;
  sending: boolean;
  error: string | null;
}

export interface OpenImprovement {
  id: string;
  detail: ImprovementDetail | null;
  status: LoadStatus;
  error: string | null;
  customers: ImprovementCustomer[] | null;
  /** A status change or a link being sent. */
  acting: boolean;
  actError: string | null;
  /** Declining: the reason being written (null: not declining). */
  declineReason: string | null;
  /** Linking more: the desk's items ticked to link (null: not linking). */
  linking: string[] | null;
  /** Customers being recorded as told, by customer id. */
  telling: string[];
}

export interface ImprovementsState {
  list: Improvement[];
  listStatus: LoadStatus;
  listError: ApiError | null;
  /** The analysis drill list's ticked items. */
  selected: string[];
  draft: ImprovementDraft | null;
  /** The last one proposed here (the analysis says so). */
  created: Improvement | null;
  /** The desk shows VOC items or improvements. */
  deskTab: 'items' | 'improvements';
  open: OpenImprovement | null;
  shared: ImprovementShared[];
  hiddenShared: string[];
}

const initialState: ImprovementsState = {
  list: [],
  listStatus: 'idle',
  listError: null,
  selected: [],
  draft: null,
  created: null,
  deskTab: 'items',
  open: null,
  shared: [],
  hiddenShared: [],
};

/** Ask the desktop for the list again (the analysis or the desk's tab is on screen, or something changed). */
export const improvementsAsked = createAction('improvements/asked');
export const improvementSubmitted = createAction('improvements/submitted');
export const improvementStatusAsked = createAction<{ to: ImprovementStatus; reason?: string }>('improvements/statusAsked');
export const improvementLinkSubmitted = createAction('improvements/linkSubmitted');
export const improvementToldAsked = createAction<{ customerId: string; items: string[]; via: NotifyChannel }>('improvements/toldAsked');

const slice = createSlice({
  name: 'improvements',
  initialState,
  reducers: {
    improvementsLoading(state) {
      state.listStatus = state.listStatus === 'loaded' ? 'loaded' : 'loading';
    },
    improvementsLoaded(state, action: PayloadAction<Improvement[]>) {
      state.list = action.payload;
      state.listStatus = 'loaded';
      state.listError = null;
    },
    improvementsFailed(state, action: PayloadAction<ApiError>) {
      state.listStatus = 'failed';
      state.listError = action.payload;
    },
    itemSelectionToggled(state, action: PayloadAction<string>) {
      const i = state.selected.indexOf(action.payload);
      if (i >= 0) state.selected.splice(i, 1);
      else state.selected.push(action.payload);
    },
    itemSelectionCleared(state) {
      state.selected = [];
    },
    draftOpened(state, action: PayloadAction<{ source: ImprovementSource; count: number; topicId: string | null; departmentId: string }>) {
      state.draft = { ...action.payload, title: '', change: '', targetDate: '', sending: false, error: null };
      state.created = null;
    },
    draftChanged(state, action: PayloadAction<Partial<Pick<ImprovementDraft, 'title' | 'change' | 'departmentId' | 'targetDate'>>>) {
      if (state.draft) Object.assign(state.draft, action.payload, { error: null });
    },
    draftClosed(state) {
      state.draft = null;
    },
    draftSending(state) {
      if (state.draft) state.draft.sending = true;
    },
    draftFailed(state, action: PayloadAction<string>) {
      if (state.draft) Object.assign(state.draft, { sending: false, error: action.payload });
    },
    improvementCreated(state, action: PayloadAction<Improvement>) {
      state.draft = null;
      state.created = action.payload;
      state.selected = [];
      state.list = [action.payload, ...state.list.filter((m) => m.id !== action.payload.id)];
    },
    deskTabChosen(state, action: PayloadAction<ImprovementsState['deskTab']>) {
      state.deskTab = action.payload;
    },
    improvementOpened(state, action: PayloadAction<string>) {
      state.open = { id: action.payload, detail: null, status: 'loading', error: null, customers: null, acting: false, actError: null, declineReason: null, linking: null, telling: [] };
    },
    improvementClosed(state) {
      state.open = null;
    },
    improvementLoaded(state, action: PayloadAction<{ detail: ImprovementDetail; customers: ImprovementCustomer[] | null }>) {
      const { detail, customers } = action.payload;
      if (state.open?.id !== detail.improvement.id) return;
      Object.assign(state.open, { detail, customers, status: 'loaded', error: null });
      state.list = state.list.map((m) => (m.id === detail.improvement.id ? detail.improvement : m));
    },
    improvementLoadFailed(state, action: PayloadAction<{ id: string; message: string }>) {
      if (state.open?.id === action.payload.id) Object.assign(state.open, { status: 'failed', error: action.payload.message });
    },
    declineStarted(state) {
      if (state.open) Object.assign(state.open, { declineReason: '', actError: null });
    },
    declineReasonChanged(state, action: PayloadAction<string>) {
      if (state.open?.declineReason !== null && state.open) state.open.declineReason = action.payload;
    },
    declineCancelled(state) {
      if (state.open) state.open.declineReason = null;
    },
    linkStarted(state) {
      if (state.open) Object.assign(state.open, { linking: [], actError: null });
    },
    linkToggled(state, action: PayloadAction<string>) {
      const linking = state.open?.linking;
      if (!linking) return;
      const i = linking.indexOf(action.payload);
      if (i >= 0) linking.splice(i, 1);
      else linking.push(action.payload);
    },
    linkCancelled(state) {
      if (state.open) state.open.linking = null;
    },
    actionSending(state) {
      if (state.open) Object.assign(state.open, { acting: true, actError: null });
    },
    actionDone(state) {
      if (state.open) Object.assign(state.open, { acting: false, declineReason: null, linking: null });
    },
    actionFailed(state, action: PayloadAction<string>) {
      if (state.open) Object.assign(state.open, { acting: false, actError: action.payload });
    },
    tellingStarted(state, action: PayloadAction<string>) {
      if (state.open && !state.open.telling.includes(action.payload)) state.open.telling.push(action.payload);
    },
    tellingFinished(state, action: PayloadAction<{ customerId: string; error: string | null }>) {
      if (!state.open) return;
      state.open.telling = state.open.telling.filter((c) => c !== action.payload.customerId);
      state.open.actError = action.payload.error;
    },
    sharedReceived(state, action: PayloadAction<ImprovementShared[]>) {
      state.shared = action.payload;
    },
    sharedHidden(state, action: PayloadAction<string>) {
      if (!state.hiddenShared.includes(action.payload)) state.hiddenShared.push(action.payload);
    },
  },
  extraReducers: (builder) => {
    // Another person signing in here starts from nothing.
    builder.addCase(sessionLoaded, () => initialState);
    // Ticked items belong to the cell on screen: another cell or period starts with none ticked.
    builder.addMatcher(
      (action) => analysisCellChosen.match(action) || analysisPeriodChosen.match(action),
      (state) => {
        state.selected = [];
      },
    );
  },
});

export const {
  improvementsLoading,
  improvementsLoaded,
  improvementsFailed,
  itemSelectionToggled,
  itemSelectionCleared,
  draftOpened,
  draftChanged,
  draftClosed,
  draftSending,
  draftFailed,
  improvementCreated,
  deskTabChosen,
  improvementOpened,
  improvementClosed,
  improvementLoaded,
  improvementLoadFailed,
  declineStarted,
  declineReasonChanged,
  declineCancelled,
  linkStarted,
  linkToggled,
  linkCancelled,
  actionSending,
  actionDone,
  actionFailed,
  tellingStarted,
  tellingFinished,
  sharedReceived,
  sharedHidden,
} = slice.actions;
export const improvementsReducer = slice.reducer;

type WithImprovements = { improvements: ImprovementsState };
export const selectImprovements = (s: WithImprovements) => s.improvements;

const openCounts = new WeakMap<Improvement[], Map<string, number>>();
/** Open improvements per topic id (memoised per list). */
export const selectOpenPerTopic = (s: WithImprovements): ReadonlyMap<string, number> => {
  const list = s.improvements.list;
  let counts = openCounts.get(list);
  if (!counts) {
    counts = new Map();
    for (const m of list) if (m.topicId && isOpenImprovement(m.status)) counts.set(m.topicId, (counts.get(m.topicId) ?? 0) + 1);
    openCounts.set(list, counts);
  }
  return counts;
};

/** A target date (YYYY-MM-DD) passed without the improvement being done or declined; `today` in the same form. */
export const isOverdue = (m: Pick<Improvement, 'targetDate' | 'status'>, today: string) => m.targetDate !== null && isOpenImprovement(m.status) && m.targetDate < today;
