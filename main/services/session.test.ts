import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { countOutbox, readSyncState, saveNote, setLastActivityAt, upsertCustomer } from '../db/index';
import { aCustomer, T0, tempStore, type TempStore } from '../db/test-fixtures';
import { adoptSession, loginAtCenter, restorableSession } from './session';
import { createProcessVault } from './session-vault';

const vault = createProcessVault();
const DAY = 86_400_000;

const CENTER = 'http://127.0.0.1:4100';
const sessionOf = (username: string, expiresAt = '2999-01-01T00:00:00.000Z') => ({
  token: `token-${username}`,
  expiresAt,
  user: { id: randomUUID(), tenant: 'demo', username, displayName: username, role: 'agent' as const },
});

describe('adopting a session', () => {
  let store: TempStore;
  afterEach(() => store.cleanup());

  it('keeps the replica and client id when the same agent signs in again', () => {
    store = tempStore();
    const agent1 = sessionOf('agent1');
    adoptSession(store.db, CENTER, agent1, vault);
    const clientId = readSyncState(store.db).clientId;
    upsertCustomer(store.db, aCustomer());
    adoptSession(store.db, CENTER, { ...agent1, token: 'renewed' }, vault);
    expect(readSyncState(store.db).clientId).toBe(clientId);
    expect(restorableSession(store.db, CENTER, vault, { idleMs: DAY })?.token).toBe('renewed');
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM customers').get()).toEqual({ n: 1 });
  });

  it("refuses another agent while the previous agent's changes are unsynced", () => {
    store = tempStore();
    adoptSession(store.db, CENTER, sessionOf('agent1'), vault);
    saveNote(store.db, { id: randomUUID(), customerId: randomUUID(), interactionId: null, text: 'x' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    expect(() => adoptSession(store.db, CENTER, sessionOf('agent2'), vault)).toThrow(/have not reached the center/);
    expect(readSyncState(store.db).session?.user.username).toBe('agent1');
    expect(countOutbox(store.db)).toBe(1);
  });

  it('gives another agent a clean replica and a new client id once nothing is pending', () => {
    store = tempStore();
    adoptSession(store.db, CENTER, sessionOf('agent1'), vault);
    const before = readSyncState(store.db).clientId;
    upsertCustomer(store.db, aCustomer());
    adoptSession(store.db, CENTER, sessionOf('agent2'), vault);
    const after = readSyncState(store.db);
    expect(after.clientId).not.toBe(before);
    expect(after.cursor).toBeNull();
    expect(after.session?.user.username).toBe('agent2');
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM customers').get()).toEqual({ n: 0 });
  });

  it('restores only an unexpired session for the same center', () => {
    store = tempStore();
    adoptSession(store.db, CENTER, sessionOf('agent1', '2026-11-25T02:00:00.000Z'), vault);
    const at = (iso: string) => ({ idleMs: DAY, now: Date.parse(iso) });
    expect(restorableSession(store.db, CENTER, vault, at('2026-11-25T01:00:00.000Z'))?.user.username).toBe('agent1');
    expect(restorableSession(store.db, CENTER, vault, at('2026-11-25T03:00:00.000Z'))).toBeNull();
    expect(restorableSession(store.db, 'http://127.0.0.1:9999', vault, at('2026-11-25T01:00:00.000Z'))).toBeNull();
  });

  it('never keeps the token in the database in clear; another launch (another vault) cannot open it', () => {
    store = tempStore();
    adoptSession(store.db, CENTER, sessionOf('agent1'), vault);
    const raw = store.db.prepare('SELECT session_token FROM sync_state').get() as { session_token: string };
    expect(raw.session_token).not.toContain('token-agent1');
    expect(restorableSession(store.db, CENTER, vault, { idleMs: DAY })?.token).toBe('token-agent1');
    expect(restorableSession(store.db, CENTER, createProcessVault(), { idleMs: DAY })).toBeNull();
  });

  it('does not restore a session whose agent has been away longer than the idle timeout', () => {
    store = tempStore();
    adoptSession(store.db, CENTER, sessionOf('agent1'), vault);
    setLastActivityAt(store.db, '2026-11-25T01:00:00.000Z');
    const hours = (h: number) => ({ idleMs: 8 * 3_600_000, now: Date.parse('2026-11-25T01:00:00.000Z') + h * 3_600_000 });
    expect(restorableSession(store.db, CENTER, vault, hours(7.9))).not.toBeNull();
    expect(restorableSession(store.db, CENTER, vault, hours(8.1))).toBeNull();
  });
});

describe('signing in', () => {
  it('never sends a password to a center over http:// unless it is this computer', async () => {
    // 192.0.2.1 (TEST-NET-1) answers nothing: an attempt to connect would time out, not fail at once.
    await expect(loginAtCenter('http://192.0.2.1:4000', { tenant: 'demo', username: 'agent1', password: 'demo' })).rejects.toMatchObject({
      code: 'insecure_center',
      message: expect.stringMatching(/will not send your password.*https:\/\//),
    });
  });
});
