// Migration 0003 on a database written by the previous build: cached VOC items take the workflow's
// state names and fields (the screen pop reads their JSON as stored), the new tables exist, and the
// cursor starts over so the next pull is a bootstrap.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VocItem } from '../../../shared/domain/entities';
import { openLocalDatabase } from '../connection';
import { migrate } from '../migrate';
import { readScreenPop } from '../screen-pop';
import { readSyncState } from '../sync-state';
import { migration0001 } from './0001-init';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const CUSTOMER = '5a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b';
const oldItem = (id: string, status: string) => ({
  id,
  customerId: CUSTOMER,
  interactionId: null,
  type: 'complaint',
  topic: 'billing',
  description: 'charged twice',
  status,
  createdBy: 'agent1',
  createdAt: '2026-11-01T00:00:00.000Z',
});

describe('0003-voc-loop', () => {
  it('renames the old states, fills the workflow fields, and restarts the pull from a bootstrap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-0003-'));
    dirs.push(dir);
    const file = join(dir, 'earshot.db');
    // A database as the previous build left it: 0001 only, items in the ten-step names, a cursor.
    const before = new Database(file);
    migrate(before, [migration0001]);
    before
      .prepare(`INSERT INTO customers (id, display_name, provisional, updated_at, data, touched_at) VALUES (?, 'Lee', 0, '2026-11-01T00:00:00.000Z', ?, 0)`)
      .run(CUSTOMER, JSON.stringify({ id: CUSTOMER, displayName: 'Lee', language: 'ko', segment: null, identities: [], consent: { phone: false, email: false, sms: false }, value: null, flags: [], provisional: false, updatedAt: '2026-11-01T00:00:00.000Z' }));
    const renames: Array<[string, string]> = [
      ['registered', 'raised'],
      ['department_assigned', 'routed'],
      ['owner_assigned', 'assigned'],
      ['in_progress', 'in_progress'],
      ['feedback', 'follow_up'],
      ['analysed', 'closed'],
      ['improvement_shared', 'closed'],
    ];
    const insert = before.prepare('INSERT INTO voc_items (id, customer_id, interaction_id, status, created_at, data) VALUES (?, ?, NULL, ?, ?, ?)');
    renames.forEach(([from], n) => {
      const id = `00000000-0000-4000-8000-00000000000${n}`;
      insert.run(id, CUSTOMER, from, '2026-11-01T00:00:00.000Z', JSON.stringify(oldItem(id, from)));
    });
    before.prepare("INSERT INTO sync_state (id, client_id, next_seq, cursor) VALUES (1, 'c1', 7, '12345')").run();
    before.close();

    const { db } = openLocalDatabase(file);
    const rows = db.prepare('SELECT id, status, data FROM voc_items ORDER BY id').all() as Array<{ id: string; status: string; data: string }>;
    expect(rows.map((r) => r.status)).toEqual(renames.map(([, to]) => to));
    for (const r of rows) {
      const data = JSON.parse(r.data) as Record<string, unknown>;
      // Every field the workflow added is there, at its start, and the whole item parses as it is.
      expect(data).toEqual(VocItem.parse(data));
      expect(VocItem.strict().parse(data)).toMatchObject({ status: r.status, number: null, priority: 'normal', safety: false, deadlines: { acknowledge: null, resolve: null, notify: null } });
      expect(data.interactionId).toBeNull();
    }
    // The pop reads the JSON as stored: its open matters are the renamed open ones.
    expect(readScreenPop(db, CUSTOMER)!.openVocItems.map((v) => v.status).sort()).toEqual(['assigned', 'follow_up', 'in_progress', 'raised', 'routed']);
    expect(readSyncState(db).cursor).toBeNull();
    expect(readSyncState(db).nextSeq).toBe(7);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['voc_topics', 'departments', 'center_answers']));
    db.close();
  });
});
