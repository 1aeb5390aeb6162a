import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCenterIdentity } from './identity';
import { openDb } from './open';

describe("the center database's identity", () => {
  it('stays with a database across restarts, and is its own for each in-memory database cloned from a template', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-identity-'));
    try {
      const first = await openDb({ dataDir: dir });
      const id = await readCenterIdentity(first).finally(() => first.close());
      expect(id).toMatchObject({ restored: false });
      const again = await openDb({ dataDir: dir });
      expect(await readCenterIdentity(again).finally(() => again.close())).toEqual(id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const template = { seedKey: 'identity-test', seed: async () => undefined };
    const [a, b] = [await openDb({ template }), await openDb({ template })];
    try {
      const [ia, ib] = [await readCenterIdentity(a), await readCenterIdentity(b)];
      expect(ia.id).not.toBe(ib.id);
      expect([ia.restored, ib.restored]).toEqual([false, false]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
