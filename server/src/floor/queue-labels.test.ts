// `queue label`: a queue's name and its dispositions' labels in another language, checked before the
// database is opened, refused for what the tenant does not have, and recorded for the desktops.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadQueues } from '../db/records';
import { openDb } from '../db/open';
import { runCli } from '../testing/cli';
import { validateQueueLabel } from './queue-labels';

describe('earshot-center queue label', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-queue-label-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => runCli({ dataDir: dir }, args);

  it('refuses input it cannot use, with what would work', () => {
    expect(() => validateQueueLabel({ queueId: 'q', lang: 'korean!', name: 'x' })).toThrow(/not a BCP-47 tag/);
    expect(() => validateQueueLabel({ queueId: 'q', lang: 'ko' })).toThrow(/Say what to label/);
    expect(() => validateQueueLabel({ queueId: 'q', lang: 'ko', code: 'resolved' })).toThrow(/both --code CODE and --label TEXT/);
    expect(() => validateQueueLabel({ queueId: 'q', lang: 'ko', name: '   ' })).toThrow(/1 to 200 characters/);
    expect(() => validateQueueLabel({ queueId: 'q', lang: 'en-GB', name: 'Sales' })).not.toThrow();
  });

  it('labels a queue and a disposition, merges languages, and records the queue for the desktops', async () => {
    expect((await run(['tenant', 'add', '--id', 'acme', '--name', 'Acme'])).code).toBe(0);
    const db = await openDb({ dataDir: dir });
    await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ('acme', 'sales', 'Sales')`);
    await db.query(`INSERT INTO queue_disposition_codes (tenant_id, queue_id, code, label, position) VALUES ('acme', 'sales', 'sold', 'Sold', 0)`);
    await db.close();

    expect(await run(['queue', 'label', 'acme', 'billing', '--lang', 'ko', '--name', '요금'])).toMatchObject({ code: 1, err: expect.stringMatching(/no queue "billing"; its queues: sales/) });
    expect(await run(['queue', 'label', 'acme', 'sales', '--lang', 'ko', '--code', 'lost', '--label', '실패'])).toMatchObject({ code: 1, err: expect.stringMatching(/no disposition code "lost"; its codes: sold/) });
    expect(await run(['queue', 'label', 'acme', 'sales', '--lang', '#', '--name', 'x'])).toMatchObject({ code: 1, err: expect.stringMatching(/BCP-47/) });
    expect((await run(['queue', 'label', 'acme', 'sales'])).code).toBe(64);

    expect(await run(['queue', 'label', 'acme', 'sales', '--lang', 'ko', '--name', '영업'])).toMatchObject({ code: 0, out: 'Queue sales of acme in ko: 영업.\n' });
    expect(await run(['queue', 'label', 'acme', 'sales', '--lang', 'ko', '--code', 'sold', '--label', '판매 완료'])).toMatchObject({ code: 0, out: 'Queue sales of acme in ko: 영업; sold: 판매 완료.\n' });
    expect((await run(['queue', 'label', 'acme', 'sales', '--lang', 'ja', '--name', '営業'])).code).toBe(0);

    const check = await openDb({ dataDir: dir });
    try {
      const [queue] = await loadQueues(check, 'acme');
      expect(queue).toEqual({
        id: 'sales',
        name: 'Sales',
        labels: { ko: '영업', ja: '営業' },
        dispositionRequired: false,
        dispositionCodes: [{ code: 'sold', label: 'Sold', labels: { ko: '판매 완료' } }],
      });
      // Each change reached the change log, newest last: what a desktop's next pull applies.
      const logged = await check.query<{ data: { labels: Record<string, string> } }>(
        `SELECT data FROM change_log WHERE tenant_id = 'acme' AND entity = 'queue' AND entity_id = 'sales' ORDER BY version`,
      );
      expect(logged).toHaveLength(3);
      expect(logged.at(-1)!.data.labels).toEqual({ ko: '영업', ja: '営業' });
    } finally {
      await check.close();
    }
  });
});
