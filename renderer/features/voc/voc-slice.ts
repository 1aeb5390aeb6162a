// VOC items the agent records on the current contact: the form being written (kept until the desktop
// confirms, so a failed add loses nothing) and the items created, by interaction.
import { createEntityAdapter, createSelector, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { VocItem } from '../../../shared/domain/index';
import { newClientId } from '../../app/new-id';
import { EMPTY_VOC_FIELDS, typeChange, type VocFieldValues } from '../../components/VocFields';

const vocAdapter = createEntityAdapter<VocItem>({
  sortComparer: (a, b) => a.createdAt.localeCompare(b.createdAt),
});

export interface VocForm extends VocFieldValues {
  open: boolean;
  /** Drawn on the first submit and reused on retries: the desktop creates idempotently by id. */
  submissionId: string | null;
  submitting: boolean;
  error: string | null;
}

export interface VocState {
  items: ReturnType<typeof vocAdapter.getInitialState>;
  form: VocForm;
}

const emptyForm: VocForm = {
  ...EMPTY_VOC_FIELDS,
  open: false,
  submissionId: null,
  submitting: false,
  error: null,
};

const initialState: VocState = { items: vocAdapter.getInitialState(), form: emptyForm };

const vocSlice = createSlice({
  name: 'voc',
  initialState,
  reducers: {
    vocFormOpened(state) {
      state.form.open = true;
    },
    vocFormClosed(state) {
      state.form.open = false;
    },
    vocFormChanged(state, action: PayloadAction<Partial<VocFieldValues>>) {
      Object.assign(state.form, action.payload);
      // Changing what is being said makes it a different item from any earlier failed attempt.
      if (!state.form.submitting) state.form.submissionId = null;
    },
    vocItemSubmitted: {
      reducer(state, action: PayloadAction<{ interactionId: string; customerId: string; candidateId: string }>) {
        if (state.form.submitting) return;
        state.form.submissionId ??= action.payload.candidateId;
        state.form.submitting = true;
        state.form.error = null;
      },
      prepare(payload: { interactionId: string; customerId: string }) {
        return { payload: { ...payload, candidateId: newClientId() } };
      },
    },
    vocItemCreated(state, action: PayloadAction<VocItem>) {
      vocAdapter.upsertOne(state.items, action.payload);
      // The next item starts from the same type (several of a kind are common), its defaults fresh.
      if (state.form.submissionId === action.payload.id) state.form = { ...emptyForm, ...typeChange(state.form.type, { wants: null }) };
    },
    /** The desktop's copy of items shown here, newer (a sync brought the center's number and step). */
    vocItemsRefreshed(state, action: PayloadAction<VocItem[]>) {
      vocAdapter.updateMany(
        state.items,
        action.payload.filter((i) => state.items.entities[i.id]).map((i) => ({ id: i.id, changes: i })),
      );
    },
    vocItemFailed(state, action: PayloadAction<string>) {
      state.form.submitting = false;
      state.form.error = action.payload;
    },
  },
});

export const { vocFormOpened, vocFormClosed, vocFormChanged, vocItemSubmitted, vocItemCreated, vocItemsRefreshed, vocItemFailed } =
  vocSlice.actions;
export const vocReducer = vocSlice.reducer;

type WithVoc = { voc: VocState };
const itemSelectors = vocAdapter.getSelectors((s: WithVoc) => s.voc.items);
export const selectVocForm = (s: WithVoc) => s.voc.form;
export const selectVocItemsFor = createSelector(
  [itemSelectors.selectAll, (_s: WithVoc, interactionId: string | null) => interactionId],
  (items, interactionId) => (interactionId ? items.filter((i) => i.interactionId === interactionId) : []),
);
