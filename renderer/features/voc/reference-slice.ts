// The VOC catalogue and the departments as the desktop last synced them: the VOC form's topic
// type-ahead, and the department names and member pickers of the pop and the desk.
import { createSelector, createSlice, original, type PayloadAction } from '@reduxjs/toolkit';
import type { VocReference } from '../../../shared/api/voc';
import type { Department } from '../../../shared/domain/index';
import type { TopicOption } from '../../components/TopicCombobox';
import { pickLabel } from '../../i18n/pick-label';
import { selectLocale, type LocaleState } from '../../i18n/locale-slice';

export interface VocReferenceState extends VocReference {
  loaded: boolean;
}

const initialState: VocReferenceState = { topics: [], departments: [], queues: [], loaded: false };

const referenceSlice = createSlice({
  name: 'vocReference',
  initialState,
  reducers: {
    // Reloaded after every sync that brought changes (a call recorded is one): a part that is the same
    // as before keeps its identity, so the labels and pickers built from it do not re-render the desk.
    vocReferenceLoaded(state, action: PayloadAction<VocReference>) {
      const before = original(state);
      const changed = (then: unknown, now: unknown) => JSON.stringify(then) !== JSON.stringify(now);
      const { topics, departments, queues } = action.payload;
      if (changed(before?.topics, topics)) state.topics = topics;
      if (changed(before?.departments, departments)) state.departments = departments;
      if (changed(before?.queues, queues)) state.queues = queues;
      state.loaded = true;
    },
  },
});

export const { vocReferenceLoaded } = referenceSlice.actions;
export const vocReferenceReducer = referenceSlice.reducer;

type WithReference = { vocReference: VocReferenceState; locale: LocaleState };

/** The catalogue and the departments named in the UI's language (their labels; the name as given where none). */
const selectLocalized = createSelector(
  [(s: WithReference) => s.vocReference.topics, (s: WithReference) => s.vocReference.departments, (s: WithReference) => selectLocale(s)],
  (topics, departments, locale) => ({
    topics: topics.map((t) => ({ ...t, name: pickLabel(t.labels, t.name, locale) })),
    departments: departments.map((d) => ({ ...d, name: pickLabel(d.labels, d.name, locale) })),
  }),
);

/** Active topics for the type-ahead, categories first within their group, by name. */
export const selectTopicOptions = createSelector([(s: WithReference) => selectLocalized(s).topics], (topics): TopicOption[] => {
  const names = new Map(topics.map((t) => [t.id, t.name]));
  return topics
    .filter((t) => t.active)
    .map((t) => ({ id: t.id, name: t.name, category: t.parentId ? (names.get(t.parentId) ?? '') : '' }))
    .sort((a, b) => (a.category || a.name).localeCompare(b.category || b.name) || (a.category ? 1 : 0) - (b.category ? 1 : 0) || a.name.localeCompare(b.name));
});

export const selectDepartments = (s: WithReference): Department[] => selectLocalized(s).departments;
export const selectDepartmentsById = createSelector([selectDepartments], (departments) => new Map(departments.map((d) => [d.id, d])));
/** The name of a topic by its catalogue id (null when this desktop does not know it). */
export const selectTopicNames = createSelector([(s: WithReference) => selectLocalized(s).topics], (topics) => new Map(topics.map((t) => [t.id, t.name])));

/** The queues as last synced, by id (their names and disposition labels in each language). */
export const selectQueuesById = createSelector([(s: WithReference) => s.vocReference.queues], (queues) => new Map(queues.map((q) => [q.id, q])));
