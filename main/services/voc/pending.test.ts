// An item as this desktop shows it while its steps wait to sync: each queued step applied through the
// transition table, an overtaken step ignored, and the steps offered for the item as it now looks.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VocItem, type Department } from '../../../shared/domain/entities';
import type { VocActionArgs, VocStatus } from '../../../shared/domain/voc';
import type { VocActArgs } from '../../../shared/protocol/index';
import type { PendingVocAct } from '../../db/index';
import { stepsFor, withPendingSteps, type PendingContext } from './pending';

const STAFF = { userId: randomUUID(), displayName: 'Park Staff', role: 'staff' as const };
const OTHER = { userId: randomUUID(), name: 'Choi Staff' };
const billing: Department = {
  id: 'billing',
  name: 'Billing',
  leadUserId: null,
  requiresApproval: true,
  assignment: 'round_robin',
  active: true,
  members: [{ userId: STAFF.userId, name: STAFF.displayName }, OTHER],
};
const ctx: PendingContext = { departments: new Map([[billing.id, billing]]), self: STAFF };
const item = VocItem.parse({
  id: randomUUID(),
  customerId: randomUUID(),
  interactionId: null,
  type: 'complaint',
  topic: 'Charged twice',
  description: '',
  status: 'routed',
  createdBy: 'agent1',
  createdAt: '2026-11-25T01:00:00.000Z',
  departmentId: 'billing',
});
let seq = 0;
const act = (args: VocActionArgs & { expectedStatus: VocStatus }, acked = false): PendingVocAct => ({
  mutationId: randomUUID(),
  seq: ++seq,
  args: { id: item.id, ...args } as VocActArgs,
  acked,
  createdAt: '2026-11-25T02:00:00.000Z',
});

describe('an item with its queued steps', () => {
  it('applies the steps in order, with what each carries, through the table (approval as the department says)', () => {
    const steps = [
      act({ expectedStatus: 'routed', action: 'take' }),
      act({ expectedStatus: 'assigned', action: 'start' }),
      act({ expectedStatus: 'in_progress', action: 'recordResult', result: 'Refunded the second charge', remedy: 'Refund of 12,000 won' }),
    ];
    const shown = withPendingSteps(item, steps, ctx);
    expect(shown.pendingSync).toBe(true);
    expect(shown.item).toMatchObject({ status: 'awaiting_approval', ownerUserId: STAFF.userId, ownerName: 'Park Staff', result: 'Refunded the second charge', remedy: 'Refund of 12,000 won' });
    // Another item's steps change nothing.
    expect(withPendingSteps({ ...item, id: randomUUID() }, steps, ctx)).toMatchObject({ pendingSync: false, item: { status: 'routed' } });
  });

  it('ignores a step the center has overtaken, and an acknowledged step that does not move the item', () => {
    const assigned = { ...item, status: 'assigned' as const, ownerUserId: OTHER.userId };
    // The answer already shows the take: the step expected `routed` and changes nothing now.
    expect(withPendingSteps(assigned, [act({ expectedStatus: 'routed', action: 'take' })], ctx)).toEqual({ item: assigned, pendingSync: false });
    const reclassify = act({ expectedStatus: 'assigned', action: 'reclassify', priority: 'urgent' }, true);
    expect(withPendingSteps(assigned, [reclassify], ctx)).toEqual({ item: assigned, pendingSync: false });
    const unacked = withPendingSteps(assigned, [{ ...reclassify, acked: false }], ctx);
    expect(unacked).toMatchObject({ pendingSync: true, item: { priority: 'urgent', status: 'assigned', safety: false } });
  });

  it('hands over, assigns a member by name, and reopens on a dissatisfied happy call', () => {
    const handed = withPendingSteps(item, [act({ expectedStatus: 'routed', action: 'handOver', departmentId: 'logistics', reason: 'a courier matter' })], ctx).item;
    expect(handed).toMatchObject({ status: 'routed', departmentId: 'logistics', ownerUserId: null });
    const assigned = withPendingSteps(item, [act({ expectedStatus: 'routed', action: 'assign', ownerUserId: OTHER.userId })], ctx).item;
    expect(assigned).toMatchObject({ status: 'assigned', ownerName: 'Choi Staff' });
    const followUp = { ...item, status: 'follow_up' as const };
    const reopened = withPendingSteps(followUp, [act({ expectedStatus: 'follow_up', action: 'followUpOutcome', outcome: 'dissatisfied', reason: 'still charged twice' })], ctx).item;
    expect(reopened).toMatchObject({ status: 'reopened', followUpOutcome: 'dissatisfied' });
  });

  it('offers the steps the person may take on the item as it looks here', () => {
    expect(stepsFor(item, ctx)).toEqual(['take']);
    const mine = { ...item, status: 'in_progress' as const, ownerUserId: STAFF.userId };
    expect(stepsFor(mine, ctx)).toEqual(['handOver', 'waitForCustomer', 'recordResult', 'reclassify']);
    expect(stepsFor(mine, { ...ctx, self: null })).toEqual([]);
  });
});
