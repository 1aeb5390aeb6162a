// Contract-valid VOC desk data for renderer tests: a staff member in the billing department, a
// supervisor, and items at different steps with their pages (customer, contact, history).
import type { SessionInfo } from '../../shared/api/index';
import type { DeskVocEntry, VocDeskItem } from '../../shared/api/voc';
import { VocItem, type Department, type VocActionName } from '../../shared/domain/index';
import { CUSTOMER_ID, makeCustomer, makeHistoryItem } from './fixtures';

export const STAFF_USER: NonNullable<SessionInfo['user']> = {
  id: '3f1e2d3c-4b5a-4697-8877-665544332211',
  tenant: 'demo',
  username: 'staff1',
  displayName: 'Park Seoyeon',
  role: 'staff',
};
export const SUPERVISOR_USER: NonNullable<SessionInfo['user']> = { id: '4f1e2d3c-4b5a-4697-8877-665544332211', tenant: 'demo', username: 'super1', displayName: 'Choi Minho', role: 'supervisor' };

export const BILLING: Department = {
  id: 'billing',
  name: 'Billing',
  leadUserId: null,
  requiresApproval: false,
  assignment: 'round_robin',
  active: true,
  members: [
    { userId: STAFF_USER.id, name: STAFF_USER.displayName },
    { userId: '5f1e2d3c-4b5a-4697-8877-665544332211', name: 'Han Jisoo' },
  ],
};
export const LOGISTICS: Department = { ...BILLING, id: 'logistics', name: 'Logistics', members: [] };

export const ITEM_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const CONTACT = makeHistoryItem({ id: 'b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', agent: 'agent1', queue: 'billing', startedAt: '2026-11-24T01:00:00.000Z' });

export function makeVocItem(over: Partial<VocItem> = {}): VocItem {
  return VocItem.parse({
    id: ITEM_ID,
    customerId: CUSTOMER_ID,
    interactionId: CONTACT.id,
    type: 'complaint',
    topic: 'Charged twice',
    topicId: 'billing/double-charge',
    description: 'Card charged twice for one order',
    status: 'routed',
    createdBy: 'agent1',
    createdAt: '2026-11-24T01:05:00.000Z',
    number: 'VOC-2026-000123',
    priority: 'urgent',
    safety: false,
    wants: 'refund',
    departmentId: 'billing',
    deadlines: {
      acknowledge: { dueAt: '2026-11-24T03:00:00.000Z', metAt: null, overdue: true },
      resolve: { dueAt: '2026-11-26T01:00:00.000Z', metAt: null, overdue: false },
      notify: null,
    },
    ...over,
  });
}

export function makeEntry(over: Partial<DeskVocEntry> = {}): DeskVocEntry {
  return { ...makeVocItem(over), customerName: 'Lee Minji', nextDue: '2026-11-24T03:00:00.000Z', overdue: true, pendingSync: false, ...over };
}

export function makePage(item: VocItem = makeVocItem(), actions: VocActionName[] = ['take']): VocDeskItem {
  const { notes: _notes, vocItems: _voc, ...contact } = CONTACT;
  return {
    item,
    history: [
      { at: '2026-11-24T01:05:00.000Z', by: 'agent1', action: 'raise', from: null, to: 'raised', reason: null },
      { at: '2026-11-24T01:05:01.000Z', by: 'Earshot center', action: 'route', from: 'raised', to: 'routed', reason: 'Billing complaints go to billing.' },
    ],
    customer: makeCustomer(),
    contact,
    actions,
    pendingSync: false,
    asOf: '2026-11-25T05:07:00.000Z',
    offline: false,
  };
}
