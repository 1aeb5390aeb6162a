// Who saw which customer, when the desktop answers from its local copy (issue 21): offline, a search
// and a profile opened from the cache are queued, reach the center once it is back, and stand in the
// customer's access history beside the center's own lookup and grant. A REAL center (PGlite on disk).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { createDesktopServices } from '../../main/services/index';
import { FAST, waitFor } from './desktop-harness';

describe('customers shown from the local copy, in the audit trail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-desktop-audit-'));
  const centerDir = join(dir, 'center');
  let center: RunningCenter;
  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent', dataDir: centerDir });
  });
  afterAll(async () => {
    await center.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports an offline search and an opened profile once the center is back', async () => {
    const port = center.port;
    const desktop = createDesktopServices({ dataDir: join(dir, 'agent6'), centerUrl: center.url }, FAST);
    await desktop.start();
    try {
      const session = await desktop.handlers.signIn({ tenant: 'demo', username: 'agent6', password: 'demo' });
      await waitFor('online', async () => (await desktop.handlers.getSyncStatus()).state === 'online');
      const [c] = await center.db.query<{ id: string; phone: string; name: string }>(
        `SELECT i.customer_id::text AS id, i.value AS phone, c.display_name AS name FROM customer_identities i JOIN customers c ON c.id = i.customer_id
          WHERE i.kind = 'phone' ORDER BY i.value LIMIT 1`,
      );
      expect((await desktop.handlers.lookupCaller({ phone: c!.phone }))?.customer.id).toBe(c!.id); // from the center: it audits that
      await center.stop();
      await waitFor('offline', async () => (await desktop.handlers.getSyncStatus()).state === 'offline');
      const found = await desktop.handlers.searchCustomers({ query: c!.name.split(' ')[0]! });
      expect(found.map((f) => f.id)).toContain(c!.id);
      expect((await desktop.handlers.lookupCustomer({ customerId: c!.id }))?.customer.id).toBe(c!.id);
      // Records of what was seen are not "changes" the agent is waiting on.
      expect((await desktop.handlers.getSyncStatus()).pending).toBe(0);

      center = await startCenter({ port, demo: true, logLevel: 'silent', dataDir: centerDir });
      const seen = await waitFor('the local views at the center', async () => {
        const rows = await center.db.query<{ reason: string }>(
          `SELECT reason FROM audit_log WHERE action = 'customer.viewed.local' AND user_id = $1 AND customer_id = $2 ORDER BY id`,
          [session.user!.id, c!.id],
        );
        return rows.length >= 2 ? rows : null;
      });
      expect(seen.map((r) => r.reason.split(' ')[0])).toEqual(['searched', 'opened']);
      const history = await center.db.query<{ action: string }>(`SELECT DISTINCT action FROM audit_log WHERE customer_id = $1 AND user_id = $2`, [c!.id, session.user!.id]);
      expect(history.map((h) => h.action).sort()).toEqual(['customer.granted', 'customer.lookup', 'customer.viewed.local']);
    } finally {
      await desktop.stop();
    }
  });
});
