// A step's draft becomes the voc.act arguments the center expects, or says what is missing.
import { describe, expect, it } from 'vitest';
import { makeVocItem } from '../../test-support/voc-fixtures';
import { draftFor, localDateTime, stepArgs } from './steps';

const item = makeVocItem({ status: 'result_recorded', createdAt: '2026-11-25T01:00:30.000Z' });

describe('step arguments', () => {
  it('sends "just now" for a customer told this minute, and the chosen time otherwise', () => {
    // Raised at 01:00:30; told in the same minute: the minute's text alone would be before it was raised.
    const now = new Date('2026-11-25T01:00:45.000Z');
    const draft = draftFor('notifyCustomer', item, now);
    expect(draft.at).toBe(localDateTime(now));
    expect(stepArgs({ ...draft, via: 'sms' }, item, now)).toEqual({ args: { id: item.id, expectedStatus: 'result_recorded', action: 'notifyCustomer', via: 'sms', at: now.toISOString() } });
    const earlier = new Date('2026-11-25T00:30:00.000Z');
    expect(stepArgs({ ...draft, at: localDateTime(earlier) }, item, now)).toMatchObject({ args: { at: earlier.toISOString() } });
    expect(stepArgs({ ...draft, at: '' }, item, now)).toEqual({ missing: 'vocDesk.step.missingTime' });
  });

  it('asks for what a step needs before sending it', () => {
    const now = new Date();
    expect(stepArgs(draftFor('handOver', item, now), item)).toEqual({ missing: 'vocDesk.step.missingReason' });
    expect(stepArgs({ ...draftFor('handOver', item, now), reason: ' a courier matter ' }, item)).toEqual({ missing: 'vocDesk.step.missingDepartment' });
    expect(stepArgs({ ...draftFor('handOver', item, now), reason: ' a courier matter ', departmentId: 'logistics' }, item)).toEqual({
      args: { id: item.id, expectedStatus: 'result_recorded', action: 'handOver', departmentId: 'logistics', reason: 'a courier matter' },
    });
    expect(stepArgs(draftFor('assign', item, now), item)).toEqual({ missing: 'vocDesk.step.missingOwner' });
    expect(stepArgs({ ...draftFor('recordResult', item, now), result: '  ' }, item)).toEqual({ missing: 'vocDesk.step.missingResult' });
    expect(stepArgs({ ...draftFor('followUpOutcome', item, now), outcome: 'dissatisfied' }, item)).toEqual({ missing: 'vocDesk.step.missingReason' });
    expect(stepArgs({ ...draftFor('followUpOutcome', item, now), outcome: 'no_answer' }, item)).toEqual({ args: { id: item.id, expectedStatus: 'result_recorded', action: 'followUpOutcome', outcome: 'no_answer' } });
  });

  it('reclassifies with the catalogue topic, and drops "wants" for anything but a complaint', () => {
    const draft = { ...draftFor('reclassify', item, new Date()), type: 'inquiry' as const, topicId: 'delivery/late', priority: 'normal' as const };
    expect(stepArgs(draft, item)).toEqual({
      args: { id: item.id, expectedStatus: 'result_recorded', action: 'reclassify', type: 'inquiry', topicId: 'delivery/late', priority: 'normal', safety: false, wants: null },
    });
  });
});
