import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  Customer,
  Interaction,
  Note,
  Queue,
  Role,
  VOC_TYPES,
  VocItem,
  toE164,
} from '../../../shared/domain/index';
import { demoKnownNumbers, generateDemoData } from './generate';

const now = new Date('2026-11-25T00:00:00.000Z');

describe('generateDemoData', () => {
  const full = generateDemoData({ seed: 7, now });

  it('is identical for the same seed and differs for another seed', () => {
    const again = generateDemoData({ seed: 7, customers: 300, now });
    const same = generateDemoData({ seed: 7, customers: 300, now });
    const other = generateDemoData({ seed: 8, customers: 300, now });
    expect(JSON.stringify(same)).toBe(JSON.stringify(again));
    expect(other.customers[0]?.customer.id).not.toBe(again.customers[0]?.customer.id);
    expect(JSON.stringify(other.interactions)).not.toBe(JSON.stringify(again.interactions));
  });

  it('seeds 5,000 customers with 15–25k interactions, 20 agents, a supervisor and an admin', () => {
    expect(full.tenant).toEqual({ id: 'demo', name: expect.any(String), timeZone: 'Asia/Seoul' });
    expect(full.customers).toHaveLength(5000);
    expect(full.interactions.length).toBeGreaterThanOrEqual(15_000);
    expect(full.interactions.length).toBeLessThanOrEqual(25_000);
    expect(full.notes.length).toBeGreaterThan(full.interactions.length / 3);
    const names = full.users.map((u) => u.username);
    for (let i = 1; i <= 20; i++) expect(names).toContain(`agent${i}`);
    expect(full.users.find((u) => u.username === 'super1')?.role).toBe('supervisor');
    expect(full.users.find((u) => u.username === 'admin')?.role).toBe('admin');
    expect(full.users.every((u) => u.password === 'demo')).toBe(true);
    expect(full.queues.map((q) => q.id)).toEqual(['general', 'billing', 'tech']);
    expect(full.queues.filter((q) => q.dispositionRequired)).toHaveLength(1);
  });

  it('produces entities that pass their shared schemas', () => {
    for (const u of full.users) Role.parse(u.role);
    for (const q of full.queues) Queue.parse(q);
    for (const { customer } of full.customers) {
      Customer.parse(customer);
      expect(customer.value).toBeNull();
    }
    for (const i of full.interactions) Interaction.parse(i);
    for (const n of full.notes) Note.parse(n);
    for (const v of full.vocItems) VocItem.parse(v);
  });

  it('uses only disposition codes of the interaction queue, and always one where the queue requires it', () => {
    const byId = new Map(full.queues.map((q) => [q.id, q]));
    for (const i of full.interactions) {
      const queue = i.queue ? byId.get(i.queue) : undefined;
      if (i.disposition) expect(queue?.dispositionCodes.map((c) => c.code)).toContain(i.disposition);
      if (queue?.dispositionRequired && i.answeredAt) expect(i.disposition).not.toBeNull();
    }
  });

  it('covers every channel and every VOC type, also in a tiny data set', () => {
    for (const data of [full, generateDemoData({ seed: 1, customers: 5, now })]) {
      expect(new Set(data.interactions.map((i) => i.channel))).toEqual(new Set(CHANNELS));
      expect(new Set(data.vocItems.map((v) => v.type))).toEqual(new Set(VOC_TYPES));
    }
    // Raised as agents raise them (the seed drives them through the workflow): classified from the
    // catalogue mostly, some in the agent's own words; every priority; complaints say what the customer wants.
    expect(new Set(full.vocItems.map((v) => v.status))).toEqual(new Set(['raised']));
    expect(new Set(full.vocItems.map((v) => v.priority))).toEqual(new Set(['normal', 'high', 'urgent']));
    const unclassified = full.vocItems.filter((v) => v.topicId === null).length;
    expect(unclassified).toBeGreaterThan(0);
    expect(unclassified).toBeLessThan(full.vocItems.length / 5);
    expect(full.vocItems.filter((v) => v.type === 'complaint').every((v) => v.wants !== null)).toBe(true);
    expect(full.vocItems.filter((v) => v.type !== 'complaint').every((v) => v.wants === null)).toBe(true);
  });

  it('mixes Korean and English customers with flags set by super1', () => {
    const ko = full.customers.filter((c) => /[\uac00-\ud7a3]/.test(c.customer.displayName));
    expect(ko.length).toBeGreaterThan(1000);
    expect(full.customers.length - ko.length).toBeGreaterThan(1000);
    const flags = full.customers.flatMap((c) => c.customer.flags);
    expect(new Set(flags.map((f) => f.flag))).toEqual(new Set(['vip', 'churn_risk', 'abusive']));
    expect(flags.every((f) => f.setBy === 'super1' && f.reason.length > 0)).toBe(true);
    const social = full.customers.flatMap((c) => c.customer.identities.filter((i) => i.kind === 'social'));
    expect(social.some((s) => s.value.startsWith('x:@'))).toBe(true);
    expect(social.some((s) => s.value.startsWith('instagram:@'))).toBe(true);
  });

  it('gives every identity to exactly one customer and every phone is valid E.164', () => {
    const all = full.customers.flatMap((c) => c.customer.identities.map((i) => `${i.kind}:${i.value}`));
    expect(new Set(all).size).toBe(all.length);
    const phones = demoKnownNumbers(full);
    expect(phones.length).toBeGreaterThanOrEqual(5000);
    for (const p of phones) expect(toE164(p)).toBe(p);
    expect(phones.some((p) => p.startsWith('+8210'))).toBe(true);
    expect(phones.some((p) => p.startsWith('+1'))).toBe(true);
    expect(new Set(full.customers.map((c) => c.externalId)).size).toBe(5000);
    const ids = [...full.customers.map((c) => c.customer.id), ...full.interactions.map((i) => i.id), ...full.notes.map((n) => n.id)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spreads purchases over the last two years, with some customers never buying', () => {
    const purchases = full.customers.flatMap((c) => c.purchases);
    const twoYearsAgo = now.getTime() - 731 * 86_400_000;
    expect(purchases.every((p) => Date.parse(p.at) >= twoYearsAgo && Date.parse(p.at) <= now.getTime())).toBe(true);
    expect(purchases.every((p) => p.amount > 0)).toBe(true);
    expect(full.customers.some((c) => c.purchases.length === 0)).toBe(true);
  });
});
