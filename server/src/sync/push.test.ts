// sync:push over a real socket: exactly-once apply, duplicates, gaps, poisoned mutations, forged
// client ids and other tenants' customers — on PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION, type PushResponse } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { toNote, NOTE_COLUMNS, type NoteRow } from '../db/records';
import { desktop, ok, phoneOf, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { SEPARATE_WRITES_FROM } from './push';

forEachDriver('sync:push', ({ driver, freshDatabase }) => {
  let t: TestCenter;
  let agent1: Desktop;
  let agent2: Desktop;
  let acmeAgent: Desktop;
  let customerId: string;
  let acmeCustomerId: string;

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    agent1 = await desktop(t.center.url, 'demo', 'agent1');
    agent2 = await desktop(t.center.url, 'demo', 'agent2');
    acmeAgent = await desktop(t.center.url, 'acme', 'agent1');
    customerId = t.tenants.demo!.customers[0]!.customer.id;
    acmeCustomerId = t.tenants.acme!.customers[0]!.customer.id;
  });
  afterAll(async () => {
    for (const d of [agent1, agent2, acmeAgent]) d?.close();
    await t?.stop();
  });

  const push = (d: Desktop, mutations: ReturnType<Desktop['mutations']>, clientId = d.clientId) =>
    d.call<PushResponse>('sync:push', { schemaVersion: SCHEMA_VERSION, clientId, mutations });
  const note = (id: string, text: string, revision = 1, cid = customerId) => ({
    name: 'note.save',
    args: { id, customerId: cid, interactionId: null, text, revision },
  });
  const noteRow = async (id: string) =>
    (await t.center.db.query<{ text: string; revision: number; author: string }>('SELECT text, revision, author FROM notes WHERE id = $1', [id]))[0];

  it('applies a note once, and a redelivered batch is skipped as duplicates', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent3');
    const noteId = randomUUID();
    const batch = d.mutations(1, [note(noteId, 'first words')]);
    const logged = async () => (await t.center.db.query('SELECT 1 FROM change_log WHERE entity_id = $1', [noteId])).length;
    const first = ok(await push(d, batch));
    expect(first.lastSeq).toBe(1);
    expect(first.rejected).toEqual([]);
    const loggedOnce = await logged();
    expect(loggedOnce).toBeGreaterThan(0);
    const again = ok(await push(d, batch));
    expect(again.lastSeq).toBe(1);
    // The redelivery changed nothing: no new change-log row for the note.
    expect(await logged()).toBe(loggedOnce);
    const revisions = await t.center.db.query('SELECT revision FROM note_revisions WHERE note_id = $1', [noteId]);
    expect(revisions).toHaveLength(1);
    expect(await noteRow(noteId)).toMatchObject({ text: 'first words', revision: 1, author: 'agent3' });
    d.close();
  });

  it('stops at a gap and applies nothing after it', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent4');
    const [a, , c] = d.mutations(1, [note(randomUUID(), 'a'), note(randomUUID(), 'b'), note(randomUUID(), 'c')]);
    const r = ok(await push(d, [a!, c!]));
    expect(r.lastSeq).toBe(1);
    expect(await noteRow((c!.args as { id: string }).id)).toBeUndefined();
    d.close();
  });

  it('parks a poisoned mutation with its reason and applies the ones behind it', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent5');
    const good = randomUUID();
    const batch = d.mutations(1, [
      { name: 'note.explode', args: {} },
      { name: 'note.save', args: { id: 'not-a-uuid' } },
      note(randomUUID(), 'for a customer of another tenant', 1, acmeCustomerId),
      note(good, 'still saved'),
    ]);
    const r = ok(await push(d, batch));
    expect(r.lastSeq).toBe(4);
    expect(r.rejected.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(r.rejected[0]!.reason).toMatch(/Unknown mutation/);
    expect(r.rejected[1]!.reason).toMatch(/Invalid arguments/);
    expect(r.rejected[2]!.reason).toMatch(/customer does not exist/);
    expect(await noteRow(good)).toMatchObject({ text: 'still saved' });
    const parked = await t.center.db.query<{ seq: string; reason: string }>(
      'SELECT seq::text AS seq, reason FROM rejected_mutations WHERE client_id = $1 ORDER BY seq',
      [d.clientId],
    );
    expect(parked.map((p) => p.seq)).toEqual(['1', '2', '3']);
    d.close();
  });

  it('parks a mutation holding what the database cannot store (a NUL, half a character pair) and applies the ones behind it', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent5');
    const [good1, good2] = [randomUUID(), randomUUID()];
    const batch = d.mutations(1, [
      note(good1, 'before'),
      note(randomUUID(), 'Pasted from a PDF:\u0000 clause 7'),
      { name: 'voc.create', args: { id: randomUUID(), customerId, interactionId: null, type: 'praise', topic: 'half \ud83d', description: '' } },
      { name: 'customer.createProvisional', args: { id: randomUUID(), displayName: 'Kim\u0000', phone: null } },
      { name: 'note.\u0000save', args: {} },
      note(good2, 'after'),
    ]);
    const r = ok(await push(d, batch));
    expect(r.lastSeq).toBe(6);
    expect(r.rejected.map((x) => x.seq)).toEqual([2, 3, 4, 5]);
    expect(r.rejected[0]!.reason).toMatch(/text: holds an invisible control character \(U\+0000\) at character 19/);
    expect(r.rejected[1]!.reason).toMatch(/topic: holds a broken character/);
    expect(r.rejected[2]!.reason).toMatch(/displayName: holds an invisible control character/);
    expect(r.rejected[3]!.reason).toBe('Unknown mutation "note.save"; this desktop may be newer than the center.');
    expect(await noteRow(good1)).toMatchObject({ text: 'before' });
    expect(await noteRow(good2)).toMatchObject({ text: 'after' });
    // Parked as the text policy keeps it: the database could not have stored it as sent.
    const parked = await t.center.db.query<{ seq: string; name: string; text: string | null }>(
      "SELECT seq::text AS seq, name, args->>'text' AS text FROM rejected_mutations WHERE client_id = $1 ORDER BY seq",
      [d.clientId],
    );
    expect(parked.map((p) => [p.seq, p.name, p.text])).toEqual([
      ['2', 'note.save', 'Pasted from a PDF: clause 7'],
      ['3', 'voc.create', null],
      ['4', 'customer.createProvisional', null],
      ['5', 'note.save', null],
    ]);
    d.close();
  });

  it('refuses a mutation made at an impossible time alone, never the whole push', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent5');
    const [good1, good2] = [randomUUID(), randomUUID()];
    const batch = d.mutations(1, [note(good1, 'one'), note(randomUUID(), 'feb 30'), note(randomUUID(), 'year 0'), note(randomUUID(), 'when?'), note(good2, 'two')]);
    batch[1]!.createdAt = '2026-02-30T09:00:00.000Z';
    batch[2]!.createdAt = '0000-01-01T00:00:00.000Z';
    batch[3]!.createdAt = 'yesterday';
    const r = ok(await push(d, batch));
    expect(r.lastSeq).toBe(5);
    expect(r.rejected.map((x) => x.seq)).toEqual([2, 3, 4]);
    for (const x of r.rejected) expect(x.reason).toMatch(/createdAt\) is not a real date and time; check the date and clock of this computer/);
    expect(await noteRow(good2)).toMatchObject({ text: 'two' });
    d.close();
  });

  it("parks a mutation the database refuses for its data, and fails the push for the database's own errors so it is sent again", async () => {
    const d = await desktop(t.center.url, 'demo', 'agent5');
    const lastSeq = async () =>
      (await t.center.db.query<{ n: string }>('SELECT last_seq::text AS n FROM sync_clients WHERE client_id = $1', [d.clientId]))[0]?.n;
    // A revision past the database's integer: the schema lets it by, the database refuses it (22003).
    const [good1, good2, good3] = [randomUUID(), randomUUID(), randomUUID()];
    const r1 = ok(await push(d, d.mutations(1, [note(randomUUID(), 'too many', 2 ** 31), note(good1, 'kept')])));
    expect(r1.rejected).toEqual([{ mutationId: expect.any(String), seq: 1, reason: expect.stringMatching(/a number outside the range the center stores/) }]);
    expect(await noteRow(good1)).toMatchObject({ text: 'kept' });

    // The database fails for reasons of its own (a full disk, 53100) or for one mutation's data (22023).
    await t.center.db.exec(`
      CREATE FUNCTION push_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.text = 'the disk is full' THEN RAISE EXCEPTION 'no space left' USING ERRCODE = '53100'; END IF;
        IF NEW.text = 'a value it refuses' THEN RAISE EXCEPTION 'bad value' USING ERRCODE = '22023'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER push_test_fault BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION push_test_fault();`);
    try {
      const failed = await push(d, d.mutations(3, [note(good2, 'waits'), note(randomUUID(), 'the disk is full')]));
      expect(failed.ok).toBe(false);
      if (!failed.ok) expect(failed.error).toEqual({ code: 'internal', message: 'The center failed to handle sync:push; it is safe to retry.' });
      expect(await noteRow(good2)).toBeUndefined();
      expect(await lastSeq()).toBe('2');

      const r2 = ok(await push(d, d.mutations(3, [note(good2, 'waits'), note(randomUUID(), 'a value it refuses'), note(good3, 'behind it')])));
      expect(r2.rejected.map((x) => [x.seq, x.reason])).toEqual([[4, expect.stringMatching(/a value in a form the center cannot store/)]]);
      expect(r2.rejected[0]!.reason).not.toMatch(/bad value/);
      expect(await noteRow(good2)).toMatchObject({ text: 'waits' });
      expect(await noteRow(good3)).toMatchObject({ text: 'behind it' });
      expect(await lastSeq()).toBe('5');
    } finally {
      await t.center.db.exec('DROP TRIGGER push_test_fault ON notes; DROP FUNCTION push_test_fault();');
    }
    d.close();
  });

  it('reports a rejected mutation again when it is redelivered after a lost ack', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent8');
    const good = randomUUID();
    const batch = d.mutations(1, [note(good, 'kept'), note(randomUUID(), 'wrong tenant', 1, acmeCustomerId)]);
    const first = ok(await push(d, batch));
    expect(first.rejected.map((x) => x.seq)).toEqual([2]);
    // The ack was lost: the desktop sends the same batch again and must learn of the rejection again.
    const again = ok(await push(d, batch));
    expect(again.lastSeq).toBe(2);
    expect(again.rejected).toEqual(first.rejected);
    // ...and the applied one stays a plain duplicate, stored once.
    const revisions = await t.center.db.query('SELECT revision FROM note_revisions WHERE note_id = $1', [good]);
    expect(revisions).toHaveLength(1);
    d.close();
  });

  it('refuses a client id that belongs to another user, and changes nothing', async () => {
    ok(await push(agent1, agent1.mutations(1, [note(randomUUID(), 'mine')])));
    const forgedNote = randomUUID();
    const r = await push(agent2, agent2.mutations(2, [note(forgedNote, 'forged')]), agent1.clientId);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
    expect(await noteRow(forgedNote)).toBeUndefined();
    // ...and across tenants too.
    const r2 = await push(acmeAgent, acmeAgent.mutations(2, [note(randomUUID(), 'x', 1, acmeCustomerId)]), agent1.clientId);
    expect(r2.ok).toBe(false);
    expect(agent2.socket.connected).toBe(true);
  });

  it('keeps every revision, updates to the newest, never rejects a late one, refuses another author', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent6');
    const id = randomUUID();
    ok(await push(d, d.mutations(1, [note(id, 'v1', 1), note(id, 'v3', 3), note(id, 'v2 arrives late', 2)])));
    expect(await noteRow(id)).toMatchObject({ text: 'v3', revision: 3 });
    const revs = await t.center.db.query<{ revision: number; text: string }>('SELECT revision, text FROM note_revisions WHERE note_id = $1 ORDER BY revision', [id]);
    expect(revs.map((r) => r.text)).toEqual(['v1', 'v2 arrives late', 'v3']);
    const other = await desktop(t.center.url, 'demo', 'agent7');
    const r = ok(await push(other, other.mutations(1, [note(id, 'hijack', 4)])));
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]!.reason).toMatch(/someone else/);
    expect(await noteRow(id)).toMatchObject({ text: 'v3' });
    d.close();
    other.close();
  });

  it('takes a push that only revises a note written in an earlier push', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent6');
    const id = randomUUID();
    expect(ok(await push(d, d.mutations(1, [note(id, 'v1', 1)]))).rejected).toEqual([]);
    expect(ok(await push(d, d.mutations(2, [note(id, 'v2', 2)]))).rejected).toEqual([]);
    expect(ok(await push(d, d.mutations(3, [note(id, 'v3', 3), note(id, 'v4', 4)]))).rejected).toEqual([]);
    expect(await noteRow(id)).toMatchObject({ text: 'v4', revision: 4, author: 'agent6' });
    d.close();
  });

  it('creates a VOC item once by id, sets a disposition, and refuses unknown codes', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent8');
    const vocId = randomUUID();
    const voc = { name: 'voc.create', args: { id: vocId, customerId, interactionId: null, type: 'want_slip', topic: 'delivery', description: 'sighed about waiting' } };
    const interaction = t.tenants.demo!.interactions.find((i) => i.queue && i.agent === 'agent8')!;
    const queue = t.tenants.demo!.queues.find((q) => q.id === interaction.queue)!;
    const code = queue.dispositionCodes[0]!.code;
    const r = ok(
      await push(
        d,
        d.mutations(1, [
          voc,
          voc,
          { name: 'disposition.set', args: { interactionId: interaction.id, code } },
          { name: 'disposition.set', args: { interactionId: interaction.id, code: 'no-such-code' } },
        ]),
      ),
    );
    expect(r.rejected.map((x) => x.seq)).toEqual([4]);
    expect(await t.center.db.query('SELECT 1 FROM voc_items WHERE id = $1', [vocId])).toHaveLength(1);
    const [row] = await t.center.db.query<{ disposition: string }>('SELECT disposition FROM interactions WHERE id = $1', [interaction.id]);
    expect(row!.disposition).toBe(code);
    d.close();
  });

  it('refuses a disposition on another agent\'s contact', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent9');
    const theirs = t.tenants.demo!.interactions.find((i) => i.agent && i.agent !== 'agent9' && i.queue)!;
    const code = t.tenants.demo!.queues.find((q) => q.id === theirs.queue)!.dispositionCodes[0]!.code;
    const r = ok(await push(d, d.mutations(1, [{ name: 'disposition.set', args: { interactionId: theirs.id, code } }])));
    expect(r.rejected[0]?.reason).toMatch(/another agent/);
    d.close();
  });

  it('creates a provisional customer, and merges one whose number is already known', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent10');
    const fresh = randomUUID();
    const dup = randomUUID();
    const lateNote = randomUUID();
    const known = t.tenants.demo!.customers[1]!.customer;
    const knownPhone = phoneOf(t.tenants.demo!, 1);
    const r = ok(
      await push(
        d,
        d.mutations(1, [
          { name: 'customer.createProvisional', args: { id: fresh, displayName: 'Unknown caller', phone: '010-9999-0001' } },
          { name: 'customer.createProvisional', args: { id: dup, displayName: 'Unknown caller', phone: knownPhone } },
          note(lateNote, 'written on the provisional customer after the merge', 1, dup),
        ]),
      ),
    );
    expect(r.rejected).toEqual([]);
    const rows = await t.center.db.query<{ id: string; provisional: boolean; merged_into: string | null }>(
      'SELECT id, provisional, merged_into FROM customers WHERE id = ANY($1::uuid[]) ORDER BY id',
      [[fresh, dup]],
    );
    expect(rows.find((x) => x.id === fresh)).toMatchObject({ provisional: true, merged_into: null });
    expect(rows.find((x) => x.id === dup)).toMatchObject({ merged_into: known.id });
    const notes = await t.center.db.query<{ customer_id: string }>('SELECT customer_id FROM notes WHERE id = $1', [lateNote]);
    expect(notes.map((n) => n.customer_id)).toEqual([known.id]);
    d.close();
  });

  it("refuses writes naming another tenant's rows: customer, interaction, note id, VOC id", async () => {
    const acme = t.tenants.acme!;
    const acmeInteraction = acme.interactions.find((i) => i.agent === 'agent1' && i.queue)!;
    const code = acme.queues.find((q) => q.id === acmeInteraction.queue)!.dispositionCodes[0]!.code;
    const d = await desktop(t.center.url, 'demo', 'agent11');
    const [newVocId, newNoteId] = [randomUUID(), randomUUID()];
    const mutations = d.mutations(1, [
      { name: 'disposition.set', args: { interactionId: acmeInteraction.id, code } },
      { name: 'voc.create', args: { id: acme.vocItems[0]!.id, customerId, interactionId: null, type: 'praise', topic: 't', description: 'd' } },
      { name: 'voc.create', args: { id: newVocId, customerId: acmeCustomerId, interactionId: null, type: 'praise', topic: 't', description: 'd' } },
      note(acme.notes[0]!.id, 'overwrite', 99),
      { name: 'note.save', args: { id: newNoteId, customerId, interactionId: acmeInteraction.id, text: 'x', revision: 1 } },
    ]);
    const r = ok(await push(d, mutations));
    // Refused: another tenant's interaction, VOC id, customer and note id. The note naming another
    // tenant's contact is kept on this tenant's customer, without the link.
    expect(r.rejected.map((x) => x.seq)).toEqual([1, 2, 3, 4]);
    expect(await t.center.db.query('SELECT interaction_id FROM notes WHERE id = $1', [newNoteId])).toEqual([{ interaction_id: null }]);
    const [row] = await t.center.db.query<{ disposition: string | null }>('SELECT disposition FROM interactions WHERE id = $1', [acmeInteraction.id]);
    expect(row!.disposition).toBe(acmeInteraction.disposition);
    const [n] = await t.center.db.query<{ text: string }>('SELECT text FROM notes WHERE id = $1', [acme.notes[0]!.id]);
    expect(n!.text).toBe(acme.notes[0]!.text);
    const [v] = await t.center.db.query<{ tenant_id: string; description: string }>('SELECT tenant_id, description FROM voc_items WHERE id = $1', [acme.vocItems[0]!.id]);
    expect(v).toEqual({ tenant_id: 'acme', description: acme.vocItems[0]!.description });
    // Nothing else of this push was stored, in either tenant.
    expect(await t.center.db.query('SELECT 1 FROM voc_items WHERE id = $1', [newVocId])).toHaveLength(0);
    expect(await t.center.db.query('SELECT 1 FROM dispositions WHERE mutation_id = $1', [mutations[0]!.mutationId])).toHaveLength(0);
    d.close();
  });

  it("keeps a note and a VOC item about a contact the center does not know on their customer, unlinked", async () => {
    // As after a restore from a backup older than the call: nothing the agent wrote is lost.
    const d = await desktop(t.center.url, 'demo', 'agent12');
    const [noteId, vocId, unknownCall] = [randomUUID(), randomUUID(), randomUUID()];
    const r = ok(
      await push(
        d,
        d.mutations(1, [
          { name: 'note.save', args: { id: noteId, customerId, interactionId: unknownCall, text: 'about the call that is gone', revision: 1 } },
          { name: 'voc.create', args: { id: vocId, customerId, interactionId: unknownCall, type: 'complaint', topic: 'Lost', description: 'Said on that call.' } },
        ]),
      ),
    );
    expect(r.rejected).toEqual([]);
    expect(await t.center.db.query('SELECT customer_id, interaction_id, text FROM notes WHERE id = $1', [noteId])).toEqual([{ customer_id: customerId, interaction_id: null, text: 'about the call that is gone' }]);
    expect(await t.center.db.query('SELECT interaction_id FROM voc_items WHERE id = $1', [vocId])).toEqual([{ interaction_id: null }]);
    d.close();
  });

  it('applies concurrent pushes from many desktops exactly once (bounded)', async () => {
    const desktops = await Promise.all(['agent12', 'agent13', 'agent14', 'agent15', 'agent16', 'agent17'].map((u) => desktop(t.center.url, 'demo', u)));
    const perDesktop = 8;
    const ids = desktops.map(() => Array.from({ length: perDesktop }, () => randomUUID()));
    await Promise.all(
      desktops.map(async (d, k) => {
        for (let i = 0; i < perDesktop; i += 1) {
          // each push also redelivers the previous mutation, as a desktop with a lost ack would
          const batch = d.mutations(1, ids[k]!.map((id) => note(id, `n${i}`))).slice(Math.max(0, i - 1), i + 1);
          const r = ok(await push(d, batch));
          expect(r.lastSeq).toBe(i + 1);
        }
      }),
    );
    const rows = await t.center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes WHERE id = ANY($1::uuid[])', [ids.flat()]);
    expect(rows[0]!.n).toBe(desktops.length * perDesktop);
    const revs = await t.center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM note_revisions WHERE note_id = ANY($1::uuid[])', [ids.flat()]);
    expect(revs[0]!.n).toBe(desktops.length * perDesktop);
    for (const d of desktops) d.close();
  });

  // A large push writes in a statement of its own before the change-log statement; a small one writes
  // in that statement. Both must come to the same result.
  it(`gives a push of ${SEPARATE_WRITES_FROM}+ mutations the same effects as the same mutations in small pushes`, async () => {
    const outcome = async (username: string, chunk: number) => {
      const d = await desktop(t.center.url, 'demo', username);
      const ids: string[] = Array.from({ length: 30 }, () => randomUUID());
      const vocIds: string[] = Array.from({ length: 5 }, () => randomUUID());
      const list = [
        ...ids.map((id, i) => note(id, `first ${i}`)),
        ...ids.slice(0, 10).map((id, i) => note(id, `third ${i}`, 3)),
        ...ids.slice(0, 10).map((id, i) => note(id, `late second ${i}`, 2)), // kept in history only
        note(randomUUID(), 'about a customer of another tenant', 1, acmeCustomerId),
        ...vocIds.map((id, i) => ({
          name: 'voc.create',
          args: { id, customerId, interactionId: null, type: 'suggestion', topic: `topic ${i}`, description: 'idea' },
        })),
        ...ids.slice(20).map((id, i) => note(id, `second ${i}`, 2)),
      ];
      expect(list.length).toBeGreaterThanOrEqual(SEPARATE_WRITES_FROM);
      const mutations = d.mutations(1, list);
      const rejected: number[] = [];
      let lastSeq = 0;
      for (let i = 0; i < mutations.length; i += chunk) {
        const r = ok(await push(d, mutations.slice(i, i + chunk)));
        rejected.push(...r.rejected.map((x) => x.seq));
        lastSeq = r.lastSeq;
      }
      const notes = await t.center.db.query<NoteRow>(`SELECT ${NOTE_COLUMNS} FROM notes WHERE id = ANY($1::uuid[])`, [ids]);
      const revisions = await t.center.db.query<{ id: string; n: number }>(
        'SELECT note_id::text AS id, count(*)::int AS n FROM note_revisions WHERE note_id = ANY($1::uuid[]) GROUP BY note_id',
        [ids],
      );
      // Each note's newest change-log row is the note as stored.
      const logged = await t.center.db.query<{ entity_id: string; data: unknown }>(
        `SELECT DISTINCT ON (entity_id) entity_id, data FROM change_log WHERE entity = 'note' AND entity_id = ANY($1::text[]) ORDER BY entity_id, version DESC`,
        [ids],
      );
      const vocs = await t.center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM voc_items WHERE id = ANY($1::uuid[])', [vocIds]);
      d.close();
      const byId = new Map(notes.map((n) => [n.id, toNote(n)]));
      expect(Object.fromEntries(logged.map((l) => [l.entity_id, l.data]))).toEqual(Object.fromEntries(byId));
      const at = (id: string) => ids.indexOf(id);
      return {
        lastSeq,
        rejected,
        notes: notes.map((n) => ({ at: at(n.id), text: n.text, revision: n.revision })).sort((a, b) => a.at - b.at),
        revisions: revisions.map((r) => ({ at: at(r.id), n: r.n })).sort((a, b) => a.at - b.at),
        vocs: vocs[0]!.n,
      };
    };
    const large = await outcome('agent18', 1000);
    expect(large).toEqual(await outcome('agent19', 7));
    expect(large.lastSeq).toBe(66);
    expect(large.rejected).toEqual([51]);
    expect(large.notes.slice(0, 11)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => ({ at: i, text: `third ${i}`, revision: 3 })),
      { at: 10, text: 'first 10', revision: 1 },
    ]);
    expect(large.notes.at(-1)).toEqual({ at: 29, text: 'second 9', revision: 2 });
    expect(large.revisions.filter((r) => r.n === 3)).toHaveLength(10);
    expect(large.vocs).toBe(5);
  });

  // The change-log lock is shared by every writer of the center. Here a large push is held in its
  // writes (its author's users row is locked, so its foreign-key check waits): another agent's push
  // must still go through, which it could not if the large push already held the change-log lock.
  if (driver === 'pg') it('does not hold the change-log lock while a large push writes', async () => {
    const big = await desktop(t.center.url, 'demo', 'agent20');
    const other = await desktop(t.center.url, 'demo', 'agent5');
    // A first note each puts the customer in their working set (no snapshot is due on the next push).
    ok(await push(big, big.mutations(1, [note(randomUUID(), 'first')])));
    ok(await push(other, other.mutations(1, [note(randomUUID(), 'first')])));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const holder = t.center.db.tx(async (q) => {
      await q.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [big.user.id]);
      holding();
      await released;
    });
    try {
      await held;
      const bigIds = Array.from({ length: SEPARATE_WRITES_FROM }, () => randomUUID());
      const bigPush = push(big, big.mutations(2, bigIds.map((id, i) => note(id, `big ${i}`))));
      bigPush.catch(() => undefined); // awaited below; not an unhandled rejection if an expectation fails first
      await vi.waitFor(
        async () => {
          const waiting = await t.center.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO notes%'`,
          );
          expect(waiting[0]!.n).toBe(1);
        },
        { timeout: 5000 },
      );
      const meanwhile = ok(await push(other, other.mutations(2, [note(randomUUID(), 'meanwhile')])));
      expect(meanwhile).toMatchObject({ lastSeq: 2, rejected: [] });
      expect(await noteRow(bigIds[0]!)).toBeUndefined();
      release();
      const done = ok(await bigPush);
      expect(done).toMatchObject({ lastSeq: 1 + SEPARATE_WRITES_FROM, rejected: [] });
      expect(BigInt(done.version)).toBeGreaterThan(BigInt(meanwhile.version));
    } finally {
      release();
      await holder;
      big.close();
      other.close();
    }
  });

  // A row the push's one read did not see is written by someone else before the push writes: the
  // set-based write fails on the unique key, and the push is applied again one mutation at a time
  // (push.ts 'single'), by the same rules: only the clashing note is refused, the rest lands.
  if (driver === 'pg') it('re-applies a push one mutation at a time when a row it writes appears meanwhile', async () => {
    const writer = await desktop(t.center.url, 'demo', 'agent15');
    const [other] = await t.center.db.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = 'demo' AND username = 'agent16'`);
    const [before, clash, after, vocId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const holder = t.center.db.tx(async (q) => {
      await q.query(
        `INSERT INTO notes (id, tenant_id, customer_id, author, author_user_id, text, revision, created_at, updated_at)
         VALUES ($1, 'demo', $2, 'agent16', $3, 'written by agent16', 1, now(), now())`,
        [clash, customerId, other!.id],
      );
      holding();
      await released;
    });
    try {
      await held;
      const pushed = push(
        writer,
        writer.mutations(1, [
          note(before, 'before'),
          note(clash, 'the same id'),
          { name: 'voc.create', args: { id: vocId, customerId, interactionId: null, type: 'suggestion', topic: 'Hours', description: 'Open on Sundays' } },
          note(after, 'after'),
        ]),
      );
      pushed.catch(() => undefined); // awaited below
      await vi.waitFor(
        async () => {
          const waiting = await t.center.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO notes%' AND query NOT LIKE '%pg_stat_activity%'`,
          );
          expect(waiting[0]!.n).toBe(1);
        },
        { timeout: 5000 },
      );
      release();
      await holder;
      const r = ok(await pushed);
      expect(r.lastSeq).toBe(4);
      expect(r.rejected.map((x) => [x.seq, x.reason])).toEqual([[2, expect.stringMatching(/someone else/)]]);
      expect(await noteRow(before)).toMatchObject({ text: 'before', author: 'agent15' });
      expect(await noteRow(after)).toMatchObject({ text: 'after', author: 'agent15' });
      expect(await noteRow(clash)).toMatchObject({ text: 'written by agent16', author: 'agent16' });
      expect(await t.center.db.query('SELECT 1 FROM voc_items WHERE id = $1', [vocId])).toHaveLength(1);
      const logged = await t.center.db.query<{ entity_id: string }>(`SELECT entity_id FROM change_log WHERE entity_id = ANY($1::text[])`, [[before, after, vocId, clash]]);
      expect(new Set(logged.map((l) => l.entity_id))).toEqual(new Set([before, after, vocId]));
    } finally {
      release();
      await holder.catch(() => undefined);
      writer.close();
    }
  });

  it('answers update_required to a desktop too old for the center', async () => {
    const r = await agent1.call('sync:push', { schemaVersion: 0, clientId: agent1.clientId, mutations: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('update_required');
  });
});
