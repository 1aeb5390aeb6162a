// The VOC reference reloads after every sync that brought changes: what did not change keeps its
// identity, so selectors built on it (labels, pickers) return what they returned and nothing re-renders.
import { expect, it } from 'vitest';
import { configureStore } from '@reduxjs/toolkit';
import type { VocReference } from '../../../shared/api/voc';
import { localeReducer } from '../../i18n/locale-slice';
import { selectDepartments, selectQueuesById, vocReferenceLoaded, vocReferenceReducer } from './reference-slice';

const reference = (): VocReference => ({
  topics: [],
  departments: [{ id: 'billing', name: 'Billing', labels: { ko: '청구' }, leadUserId: null, requiresApproval: false, assignment: 'lead', active: true, members: [] }],
  queues: [{ id: 'tech', name: 'Tech', labels: {}, dispositionCodes: [{ code: 'solved', label: 'Solved', labels: {} }], dispositionRequired: false }],
});

it('keeps the identity of what a reload did not change, and takes what it did', () => {
  const store = configureStore({ reducer: { vocReference: vocReferenceReducer, locale: localeReducer } });
  store.dispatch(vocReferenceLoaded(reference()));
  const departments = selectDepartments(store.getState());
  const queues = selectQueuesById(store.getState());
  store.dispatch(vocReferenceLoaded(reference()));
  expect(selectDepartments(store.getState())).toBe(departments);
  expect(selectQueuesById(store.getState())).toBe(queues);
  const renamed = reference();
  renamed.queues = [{ ...renamed.queues[0]!, name: 'Technical support' }];
  store.dispatch(vocReferenceLoaded(renamed));
  expect(selectDepartments(store.getState())).toBe(departments);
  expect(selectQueuesById(store.getState())).not.toBe(queues);
  expect(selectQueuesById(store.getState()).get('tech')?.name).toBe('Technical support');
});
