// The steps of the desk's item page: what each one asks of the person (its fields), the draft it
// starts from, and the `voc.act` arguments a finished draft becomes (or what is still missing).
import type { VocActArgs } from '../../../shared/protocol/index';
import type { VocActionName, VocItem } from '../../../shared/domain/index';
import type { MessageKey } from '../../i18n/index';
import type { StepDraft } from './voc-desk-slice';

export type StepField = 'reason' | 'result' | 'owner' | 'department' | 'notify' | 'outcome' | 'classification';

/** What each step asks for; a step asking nothing is taken with one press. */
export const STEP_FIELDS: Record<VocActionName, readonly StepField[]> = {
  assign: ['owner'],
  take: [],
  handOver: ['department', 'reason'],
  start: [],
  waitForCustomer: ['reason'],
  resume: [],
  recordResult: ['result'],
  approve: [],
  sendBack: ['reason'],
  notifyCustomer: ['notify'],
  customerRejected: ['reason'],
  followUpOutcome: ['outcome'],
  withdraw: ['reason'],
  reclassify: ['classification'],
};

/** Steps taken at once, without a form: they only say "I am on it". */
export const ONE_PRESS: ReadonlySet<VocActionName> = new Set(['take', 'start', 'resume']);

/** `datetime-local` text for a moment, on the person's own clock. */
export function localDateTime(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The draft a step starts from: the item's own values where the step edits them. */
export function draftFor(action: VocActionName, item: VocItem, now: Date): StepDraft {
  return {
    action,
    reason: '',
    result: item.result ?? '',
    remedy: item.remedy ?? '',
    ownerUserId: '',
    departmentId: '',
    via: 'call',
    at: localDateTime(now),
    outcome: 'satisfied',
    type: item.type,
    topic: item.topic,
    topicId: item.topicId,
    priority: item.priority,
    safety: item.safety,
    wants: item.wants,
  };
}

/**
 * The step's arguments, or the message saying what the person still has to fill in. `now` is when it
 * is sent: a time given as the current minute means "just now" (a minute's text rounds down, and the
 * center refuses a time before the item was raised).
 */
export function stepArgs(draft: StepDraft, item: VocItem, now: Date = new Date()): { args: VocActArgs } | { missing: MessageKey } {
  const base = { id: item.id, expectedStatus: item.status };
  const reason = draft.reason.trim();
  const needsReason = STEP_FIELDS[draft.action].includes('reason');
  if (needsReason && reason === '') return { missing: 'vocDesk.step.missingReason' };
  switch (draft.action) {
    case 'assign':
      return draft.ownerUserId ? { args: { ...base, action: 'assign', ownerUserId: draft.ownerUserId } } : { missing: 'vocDesk.step.missingOwner' };
    case 'handOver':
      return draft.departmentId ? { args: { ...base, action: 'handOver', departmentId: draft.departmentId, reason } } : { missing: 'vocDesk.step.missingDepartment' };
    case 'recordResult':
      return draft.result.trim() ? { args: { ...base, action: 'recordResult', result: draft.result.trim(), remedy: draft.remedy.trim() } } : { missing: 'vocDesk.step.missingResult' };
    case 'notifyCustomer': {
      const at = draft.at === localDateTime(now) ? now : new Date(draft.at);
      return Number.isNaN(at.getTime()) ? { missing: 'vocDesk.step.missingTime' } : { args: { ...base, action: 'notifyCustomer', via: draft.via, at: at.toISOString() } };
    }
    case 'followUpOutcome':
      if (draft.outcome === 'dissatisfied' && reason === '') return { missing: 'vocDesk.step.missingReason' };
      return { args: { ...base, action: 'followUpOutcome', outcome: draft.outcome, ...(reason ? { reason } : {}) } };
    case 'reclassify':
      return {
        args: {
          ...base,
          action: 'reclassify',
          type: draft.type,
          topicId: draft.topicId,
          priority: draft.priority,
          safety: draft.safety,
          wants: draft.type === 'complaint' ? draft.wants : null,
        },
      };
    case 'waitForCustomer':
    case 'sendBack':
    case 'customerRejected':
    case 'withdraw':
      return { args: { ...base, action: draft.action, reason } };
    case 'take':
    case 'start':
    case 'resume':
    case 'approve':
      return { args: { ...base, action: draft.action } };
  }
}
