// Hostile text never stalls a desktop (issue 20, "Nothing lost"): a real desktop whose stored outbox
// (as an older build wrote it, past today's DesktopApi door) mixes good mutations with ones the
// center cannot apply — control characters, lone surrogates, 100,000-character strings, impossible
// dates, a number the database refuses — pushes it to a real center over socket.io, on PGlite and on
// PostgreSQL. Every good one lands exactly once, every bad one is refused with a reason the agent can
// act on, the outbox drains, and the status never says "offline" while the center answers. What the
// agent types through the DesktopApi today is cleaned at that door and lands.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueMutation, openLocalDatabase, saveNote, type Db as LocalDb } from '../../main/db/index';
import { dispatchApiCall } from '../../main/services/api-dispatch';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import { mulberry32 } from '../../server/src/base/random';
import { smallTenant, startTestCenter, type TestCenter } from '../../server/src/testing/center-client';
import type { ApiResponse, SyncStatus } from '../../shared/api/index';
import { textFault } from '../../shared/domain/index';
import type { MutationName } from '../../shared/protocol/index';
import { forEachDriver } from '../support/postgres';
import { FAST, testKeychain, waitFor } from './desktop-harness';

const SEED = Number(process.env.HOSTILE_TEXT_SEED ?? 20);
/** Good mutations between the hostile ones. */
const GOOD = 30;
const GOOD_AT = '2026-11-25T01:00:00.000Z';

/** Characters the center refuses in a person's text, and where an older desktop may have stored them. */
const HOSTILE: ReadonlyArray<[what: string, text: string]> = [
  ['NUL, as text copied from a PDF carries', 'Refund\u0000 promised by Friday'],
  ['a C0 control (bell)', 'call back\u0007 tomorrow'],
  ['vertical tab and form feed', 'line\u000bbreak\u000cpage'],
  ['DEL', 'typo\u007f fixed'],
  ['a C1 control (NEL)', 'next\u0085line'],
  ['a lone high surrogate', 'half an emoji \ud83d here'],
  ['a lone low surrogate', 'other half \ude00 here'],
  ['a reversed surrogate pair', 'backwards \ude00\ud83d pair'],
  ['escape, as a terminal paste carries', 'colour \u001b[31mred\u001b[0m'],
];
const IMPOSSIBLE_DATES = ['2026-13-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '2026-02-30T00:00:00.000Z', 'yesterday'];
const FINE_TEXTS = [
  '고객이 환불을 요청함. 금요일까지 처리 약속.',
  'Emoji stay whole: 😀👍🏽 and 한글 too',
  'Tabs\tand\nnewlines\r\nare kept',
  'Plain note about a delivery that came late',
  '',
];

interface Planned {
  mutationId: string;
  name: MutationName;
  args: Record<string, unknown>;
  createdAt: string;
  /** What was wrong with it; undefined for a good one. */
  bad?: string;
}

forEachDriver('hostile text never stalls a desktop', ({ driver, freshDatabase }) => {
  const root = mkdtempSync(join(tmpdir(), `earshot-hostile-${driver}-`));
  let t: TestCenter;
  let services: DesktopServices | null = null;

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase(), [smallTenant('demo', 1, 4)]);
  });
  afterAll(async () => {
    await services?.stop();
    await t?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const call = async <T>(method: string, ...args: unknown[]): Promise<T> => {
    const r = (await dispatchApiCall(services!.handlers, method, args)) as ApiResponse<T>;
    if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
    return r.value;
  };

  /**
   * Every hostile case at least once (each character in a note and in a VOC item, every impossible
   * date, the oversized and out-of-range ones), and good notes, revisions and VOC items between them,
   * shuffled by the seed: as an older desktop could have queued them.
   */
  function plan(customers: string[]): Planned[] {
    const rand = mulberry32(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const m = (name: MutationName, args: Record<string, unknown>, bad?: string, createdAt = GOOD_AT): Planned => ({ mutationId: randomUUID(), name, args, createdAt, bad });
    const note = (text: string, revision = 1, id: string = randomUUID(), customerId = pick(customers)) => ({ id, customerId, interactionId: null, text, revision });
    const voc = (topic: string, description: string) => ({ id: randomUUID(), customerId: pick(customers), interactionId: null, type: 'complaint', topic, description });
    const out: Planned[] = [];
    HOSTILE.forEach(([what, text], i) => {
      out.push(m('note.save', note(text), `note with ${what}`));
      out.push(m('voc.create', i % 2 === 0 ? voc(text.slice(0, 60), 'fine') : voc('fine', text), `VOC item with ${what}`));
      if (i % 3 === 0) out.push(m('customer.createProvisional', { id: randomUUID(), displayName: text.slice(0, 40), phone: null }, `caller named with ${what}`));
      if (i % 3 === 1) out.push(m('disposition.set', { interactionId: randomUUID(), code: text.slice(0, 20) }, `disposition code with ${what}`));
    });
    for (const date of IMPOSSIBLE_DATES) out.push(m('note.save', note('written at an impossible time'), `note made at ${date}`, date));
    out.push(m('note.save', note('x'.repeat(100_000)), 'note of 100,000 characters'));
    out.push(m('voc.create', voc('long', '가'.repeat(100_000)), 'VOC description of 100,000 characters'));
    out.push(m('note.save', note('too many revisions', 2 ** 31), 'revision out of the database range'));
    // Good ones: notes (some revised more than once) and VOC items.
    for (let i = 0; i < GOOD; i++) {
      const prior = i > 0 && rand() < 0.3 ? pick(out.filter((p) => !p.bad && p.name === 'note.save')) : undefined;
      if (prior) {
        const a = prior.args as { id: string; customerId: string };
        const revision = Math.max(...out.filter((p) => (p.args as { id?: string }).id === a.id).map((p) => (p.args as { revision: number }).revision)) + 1;
        out.push(m('note.save', note(`${pick(FINE_TEXTS)} (#${i})`, revision, a.id, a.customerId)));
      } else if (rand() < 0.75) {
        out.push(m('note.save', note(`${pick(FINE_TEXTS)} (#${i})`)));
      } else {
        out.push(m('voc.create', voc(`topic ${i} 배송`, pick(FINE_TEXTS))));
      }
    }
    // Shuffled, but each note's revisions keep their order (as one desktop queues them).
    const order = out.map((p, i) => ({ p, key: rand(), i }));
    order.sort((a, b) => a.key - b.key);
    const shuffled = order.map((o) => o.p);
    const revisionsOf = new Map<string, Planned[]>();
    for (const p of out.filter((q) => q.name === 'note.save' && !q.bad)) {
      const id = (p.args as { id: string }).id;
      revisionsOf.set(id, [...(revisionsOf.get(id) ?? []), p]);
    }
    const next = new Map<string, number>();
    return shuffled.map((p) => {
      if (p.name !== 'note.save' || p.bad) return p;
      const id = (p.args as { id: string }).id;
      const k = next.get(id) ?? 0;
      next.set(id, k + 1);
      return revisionsOf.get(id)![k]!;
    });
  }

  it('refuses each bad mutation with a reason, lands every good one once, drains, and never says offline', async () => {
    const dir = join(root, 'desk');
    const customers = t.tenants.demo!.customers.map((c) => c.customer.id);

    // Sign in once, as the agent did on the older build, and stop.
    services = createDesktopServices({ dataDir: dir, centerUrl: t.center.url, vault: testKeychain() }, FAST);
    await services.start();
    await call('signIn', { tenant: 'demo', username: 'agent1', password: 'demo' });
    await waitFor('online', async () => (await services!.handlers.getSyncStatus()).state === 'online');
    await services.stop();
    services = null;

    // What the older build left in its outbox: every mutation as it was queued, past no text policy.
    const planned = plan(customers);
    const nulNote = { id: randomUUID(), customerId: customers[0]!, text: 'Pasted from the contract PDF:\u0000 clause 7 applies' };
    const local: LocalDb = openLocalDatabase(join(dir, 'earshot.db')).db;
    try {
      for (const p of planned) {
        local.transaction(() => enqueueMutation(local, { mutationId: p.mutationId, name: p.name, args: p.args, customerId: null, createdAt: p.createdAt }))();
      }
      // ...and a note the agent saw saved on that computer, NUL and all.
      const mutationId = randomUUID();
      saveNote(local, { ...nulNote, interactionId: null }, { author: 'agent1', mutationId, now: GOOD_AT });
      planned.push({ mutationId, name: 'note.save', args: { ...nulNote, interactionId: null, revision: 1 }, createdAt: GOOD_AT, bad: 'the pasted NUL note' });
    } finally {
      local.close();
    }
    const bad = planned.filter((p) => p.bad);
    const good = planned.filter((p) => !p.bad);

    // The new build starts on that store: everything it says about sync is recorded.
    services = createDesktopServices({ dataDir: dir, centerUrl: t.center.url, vault: testKeychain() }, FAST);
    const seen: SyncStatus[] = [];
    services.on('syncStatus', (s) => seen.push(s));
    await services.start();
    const drained = await waitFor(
      'the outbox to drain',
      async () => {
        const s = await services!.handlers.getSyncStatus();
        return s.state === 'online' && s.pending === 0 && s.rejected.length === bad.length ? s : undefined;
      },
      async () => {
        const s = await services!.handlers.getSyncStatus();
        return { state: s.state, pending: s.pending, rejected: s.rejected.length, lastError: s.lastError };
      },
      30_000,
    );

    // Every bad one refused, each with a reason of its own that never echoes what was refused.
    expect(new Set(drained.rejected.map((r) => r.mutationId))).toEqual(new Set(bad.map((b) => b.mutationId)));
    for (const r of drained.rejected) {
      const what = bad.find((b) => b.mutationId === r.mutationId)!.bad;
      expect(r.reason, what).toMatch(/\w{3,}/);
      expect(r.reason.length, what).toBeLessThan(600);
      expect(textFault(r.reason), what).toBeNull();
      expect(r.reason, what).not.toMatch(/xxxxxxxxxx|가가가가|Pasted|Refund|colour/);
    }
    const reasonOf = (p: Planned) => drained.rejected.find((r) => r.mutationId === p.mutationId)!.reason;
    for (const p of bad.filter((b) => b.bad!.startsWith('note with') || b.bad === 'the pasted NUL note')) {
      expect(reasonOf(p), p.bad).toMatch(/control character|broken character/);
    }
    for (const p of bad.filter((b) => b.bad!.startsWith('note made at'))) expect(reasonOf(p), p.bad).toMatch(/date|time/i);

    // Every good one landed exactly once, as written.
    for (const p of good) {
      if (p.name === 'note.save') {
        const a = p.args as { id: string; revision: number; text: string };
        const rows = await t.center.db.query<{ text: string }>('SELECT text FROM note_revisions WHERE note_id = $1 AND revision = $2', [a.id, a.revision]);
        expect(rows).toEqual([{ text: a.text }]);
      } else {
        const a = p.args as { id: string; topic: string };
        const rows = await t.center.db.query<{ topic: string }>('SELECT topic FROM voc_items WHERE id = $1', [a.id]);
        expect(rows).toEqual([{ topic: a.topic }]);
      }
    }
    // ...and no bad one did.
    const badNotes = bad.filter((b) => b.name === 'note.save').map((b) => (b.args as { id: string }).id);
    expect(await t.center.db.query('SELECT id FROM notes WHERE id = ANY($1::uuid[])', [badNotes])).toEqual([]);

    // The center answered throughout: once connected, the status never said offline.
    const connectedAt = seen.findIndex((s) => s.state !== 'offline');
    expect(connectedAt).toBeGreaterThanOrEqual(0);
    expect(seen.slice(connectedAt).filter((s) => s.state === 'offline')).toEqual([]);

    // The agent fixes the pasted note: the text they wrote comes back without the NUL, and lands.
    const nulRejected = bad.find((b) => b.bad === 'the pasted NUL note')!;
    const detail = await call<{ editable: { kind: string; text: string } | null }>('getRejectedMutation', { mutationId: nulRejected.mutationId });
    expect(detail.editable).toEqual({ kind: 'note', text: 'Pasted from the contract PDF: clause 7 applies' });
    await call('retryRejectedMutation', { mutationId: nulRejected.mutationId, edit: detail.editable });
    await waitFor('the fixed note at the center', async () => {
      const rows = await t.center.db.query<{ text: string }>('SELECT text FROM notes WHERE id = $1', [nulNote.id]);
      return rows[0]?.text === 'Pasted from the contract PDF: clause 7 applies';
    });
  });

  it('cleans what the agent types at the DesktopApi door, so the note saves and lands', async () => {
    const customerId = t.tenants.demo!.customers[1]!.customer.id;
    const refusedBefore = (await services!.handlers.getSyncStatus()).rejected.length;
    const id = randomUUID();
    const typed = 'Pasted\u0000 from a PDF\u0007 with\ttabs, 😀 and a broken \ud83d half';
    const saved = await call<{ revision: number }>('saveNote', { id, customerId, interactionId: null, text: typed });
    expect(saved.revision).toBe(1);
    const voc = await call<{ id: string; topic: string }>('createVocItem', {
      id: randomUUID(),
      customerId,
      interactionId: null,
      type: 'suggestion',
      topic: 'menu\u0000 wording',
      description: 'asked for\u0085 clearer options',
    });
    expect(voc.topic).toBe('menu wording');
    const clean = 'Pasted from a PDF with\ttabs, 😀 and a broken \ufffd half';
    await waitFor('the typed note at the center', async () => {
      const rows = await t.center.db.query<{ text: string }>('SELECT text FROM notes WHERE id = $1', [id]);
      return rows[0]?.text === clean;
    }, async () => services!.handlers.getSyncStatus());
    const [row] = await t.center.db.query<{ description: string }>('SELECT description FROM voc_items WHERE id = $1', [voc.id]);
    expect(row?.description).toBe('asked for clearer options');
    expect((await services!.handlers.getSyncStatus()).rejected).toHaveLength(refusedBefore);
  });

  it("says the center is retrying, not offline, while the database fails for its own reasons, then drains", async () => {
    const customerId = t.tenants.demo!.customers[2]!.customer.id;
    const seen: SyncStatus[] = [];
    const stop = services!.on('syncStatus', (s) => seen.push(s));
    // The center's database fails every note write for a while, as a full disk would (53100).
    await t.center.db.exec(`
      CREATE FUNCTION hostile_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'no space left on device' USING ERRCODE = '53100'; END $$;
      CREATE TRIGGER hostile_test_disk_full BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION hostile_test_disk_full();`);
    const id = randomUUID();
    try {
      await call('saveNote', { id, customerId, interactionId: null, text: 'written while the center disk is full' });
      const retrying = await waitFor('the retrying state', async () => {
        const s = await services!.handlers.getSyncStatus();
        return s.state === 'retrying' ? s : undefined;
      }, async () => services!.handlers.getSyncStatus());
      expect(retrying.pending).toBeGreaterThan(0);
      expect(retrying.lastError).toMatch(/The center failed to handle sync:push; it is safe to retry/);
    } finally {
      await t.center.db.exec('DROP TRIGGER hostile_test_disk_full ON notes; DROP FUNCTION hostile_test_disk_full();');
    }
    await waitFor('the note at the center', async () => (await t.center.db.query('SELECT 1 FROM notes WHERE id = $1', [id])).length === 1);
    await waitFor('drained', async () => {
      const s = await services!.handlers.getSyncStatus();
      return s.state === 'online' && s.pending === 0;
    });
    stop();
    expect(seen.filter((s) => s.state === 'offline')).toEqual([]);
    expect(seen.some((s) => s.state === 'retrying')).toBe(true);
  });
});
