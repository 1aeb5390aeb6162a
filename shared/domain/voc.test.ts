// The one transition table: what each person may do from each state, where it leads, and that the
// buttons the desk offers are exactly the steps the center would take.
import { describe, expect, it } from 'vitest';
import {
  availableVocActions,
  decideVocAction,
  isVocOpen,
  VOC_ACTIONS,
  VOC_STATUSES,
  VOC_TRANSITIONS,
  VocActionArgs,
  vocNumber,
  type VocActionName,
  type VocActor,
  type VocItemState,
  type VocStatus,
} from './voc';

const owner = '00000000-0000-4000-8000-000000000001';
const other = '00000000-0000-4000-8000-000000000002';
const actor = (p: Partial<VocActor>): VocActor => ({ userId: other, role: 'staff', memberOf: new Set(), leads: new Set(), ...p });
const item = (status: VocStatus, p: Partial<VocItemState> = {}): VocItemState => ({ status, departmentId: 'billing', ownerUserId: owner, ...p });

/** A valid argument set for each action. */
const ARGS: Record<VocActionName, VocActionArgs> = {
  assign: { action: 'assign', ownerUserId: owner },
  take: { action: 'take' },
  handOver: { action: 'handOver', departmentId: 'cs', reason: 'not ours' },
  start: { action: 'start' },
  waitForCustomer: { action: 'waitForCustomer', reason: 'asked for a photo' },
  resume: { action: 'resume' },
  recordResult: { action: 'recordResult', result: 'found it', remedy: 'refunded' },
  approve: { action: 'approve' },
  sendBack: { action: 'sendBack', reason: 'say more' },
  notifyCustomer: { action: 'notifyCustomer', via: 'sms', at: '2026-12-06T10:00:00.000Z' },
  customerRejected: { action: 'customerRejected', reason: 'not enough' },
  followUpOutcome: { action: 'followUpOutcome', outcome: 'satisfied' },
  withdraw: { action: 'withdraw', reason: 'duplicate' },
  reclassify: { action: 'reclassify', priority: 'urgent' },
};

describe('the VOC transition table', () => {
  it('parses every action and names each in the table', () => {
    for (const a of VOC_ACTIONS) expect(VocActionArgs.parse(ARGS[a]).action).toBe(a);
    expect(Object.keys(VOC_TRANSITIONS).sort()).toEqual([...VOC_ACTIONS].sort());
    expect(VocActionArgs.safeParse({ action: 'waitForCustomer', reason: '   ' }).success).toBe(false); // a reason must say something
  });

  it('leads each allowed step where the workflow says', () => {
    const lead = actor({ userId: owner, memberOf: new Set(['billing']), leads: new Set(['billing']) });
    const to = (status: VocStatus, a: VocActionName, requiresApproval = false) => decideVocAction(item(status), status, ARGS[a], lead, { requiresApproval });
    expect(to('routed', 'take')).toEqual({ ok: true, to: 'assigned' });
    expect(to('in_progress', 'recordResult')).toEqual({ ok: true, to: 'result_recorded' });
    expect(to('in_progress', 'recordResult', true)).toEqual({ ok: true, to: 'awaiting_approval' });
    expect(to('awaiting_approval', 'sendBack')).toEqual({ ok: true, to: 'in_progress' });
    expect(to('result_recorded', 'notifyCustomer')).toEqual({ ok: true, to: 'customer_notified' });
    expect(to('follow_up', 'customerRejected')).toEqual({ ok: true, to: 'reopened' });
    expect(decideVocAction(item('follow_up'), 'follow_up', { action: 'followUpOutcome', outcome: 'dissatisfied' }, actor({ role: 'agent' }), { requiresApproval: false })).toEqual({ ok: true, to: 'reopened' });
    expect(decideVocAction(item('follow_up'), 'follow_up', { action: 'followUpOutcome', outcome: 'no_answer' }, actor({ role: 'agent' }), { requiresApproval: false })).toEqual({ ok: true, to: 'follow_up' });
  });

  it('refuses a stale step, a step from the wrong state, and a person without the right', () => {
    const member = actor({ memberOf: new Set(['billing']) });
    expect(decideVocAction(item('assigned'), 'routed', ARGS.take, member, { requiresApproval: false })).toMatchObject({ ok: false, code: 'conflict', message: expect.stringMatching(/someone acted on it first/) });
    expect(decideVocAction(item('closed'), 'closed', ARGS.reclassify, actor({ role: 'supervisor' }), { requiresApproval: false })).toMatchObject({ ok: false, code: 'conflict' });
    expect(decideVocAction(item('routed'), 'routed', ARGS.take, actor({ memberOf: new Set(['cs']) }), { requiresApproval: false })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(decideVocAction(item('awaiting_approval'), 'awaiting_approval', ARGS.approve, member, { requiresApproval: true })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(decideVocAction(item('in_progress', { ownerUserId: owner }), 'in_progress', ARGS.recordResult, member, { requiresApproval: false })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(decideVocAction(item('routed'), 'routed', { action: 'handOver', departmentId: 'billing', reason: 'x' }, actor({ role: 'supervisor' }), { requiresApproval: false })).toMatchObject({ ok: false, code: 'bad_request' });
  });

  it("offers exactly the steps the center would take, for every state and every kind of person", () => {
    const people = [
      actor({ userId: owner, memberOf: new Set(['billing']) }),
      actor({ memberOf: new Set(['billing']) }),
      actor({ memberOf: new Set(['billing']), leads: new Set(['billing']) }),
      actor({ memberOf: new Set(['cs']) }),
      actor({ role: 'agent' }),
      actor({ role: 'supervisor' }),
      actor({ role: 'admin' }),
    ];
    for (const status of VOC_STATUSES) {
      for (const who of people) {
        const offered = new Set(availableVocActions(item(status), who));
        for (const a of VOC_ACTIONS) {
          const args = a === 'handOver' ? { ...ARGS.handOver, departmentId: 'logistics' } : ARGS[a];
          expect([status, a, offered.has(a)]).toEqual([status, a, decideVocAction(item(status), status, args, who, { requiresApproval: false }).ok]);
        }
      }
    }
  });

  it('keeps an item open until it is closed or withdrawn, and numbers it for reading out', () => {
    expect(VOC_STATUSES.filter((s) => !isVocOpen(s))).toEqual(['closed', 'withdrawn']);
    expect(vocNumber(2026, 123)).toBe('VOC-2026-000123');
  });
});
