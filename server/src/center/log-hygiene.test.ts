// The center's log never carries names, phone numbers, emails or note text — even at debug level,
// even when events fail.
import { SCHEMA_VERSION } from '../../../shared/protocol';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCenter, offerCall, type RunningCenter } from '../index';
import { seedDemo } from '../demo/seed';
import { desktop, ok, smallTenant } from '../testing/center-client';

describe('log hygiene', () => {
  const lines: string[] = [];
  const data = smallTenant('demo', 3, 10);
  let center: RunningCenter;
  beforeAll(async () => {
    center = await startCenter({ port: 0, logLevel: 'debug' }, { logDestination: { write: (line: string) => void lines.push(line) } });
    await seedDemo(center.db, { data });
  });
  afterAll(async () => {
    await center?.stop();
  });

  it('logs structured events without personal data', async () => {
    const customer = data.customers[0]!.customer;
    const phone = customer.identities.find((i) => i.kind === 'phone')!.value;
    const d = await desktop(center.url, 'demo', 'agent1');
    ok(await d.call('customer:lookup', { by: 'phone', value: phone, reason: 'screen_pop' }));
    const secret = `note text ${randomUUID()}`;
    ok(
      await d.call('sync:push', {
        schemaVersion: SCHEMA_VERSION,
        clientId: d.clientId,
        mutations: d.mutations(1, [
          { name: 'note.save', args: { id: randomUUID(), customerId: customer.id, interactionId: null, text: secret, revision: 1 } },
          { name: 'customer.createProvisional', args: { id: randomUUID(), displayName: 'Secret Caller Name', phone: '010-5555-0199' } },
        ]),
      }),
    );
    await offerCall(center, { tenant: 'demo', username: 'agent1', ani: phone, queue: 'general' });
    // An event that fails inside the center: its error is logged, its payload is not.
    await center.db.query('ALTER TABLE audit_log RENAME TO audit_log_gone');
    const failed = await d.call('customer:lookup', { by: 'phone', value: phone, reason: 'search' });
    expect(failed.ok ? null : failed.error.code).toBe('internal');
    await center.db.query('ALTER TABLE audit_log_gone RENAME TO audit_log');
    d.close();

    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(log).toMatch(/event failed/);
    const forbidden = [phone, phone.slice(1), customer.displayName, secret, 'Secret Caller Name', '01055550199', '+821055550199',
      ...customer.identities.map((i) => i.value)];
    for (const s of forbidden) expect(log).not.toContain(s);
  });
});
