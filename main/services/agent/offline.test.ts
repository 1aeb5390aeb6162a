// Offline behaviour of the agent's desk with a real (never connected) center link and a real SQLite
// file: a state choice is kept for the reconnect, call control fails clearly, and a disposition is
// queued in the outbox even though wrap-up cannot end at the center yet.
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { AgentStateView } from '../../../shared/api/index';
import { listOutbox, upsertQueue } from '../../db/index';
import { tempStore, type TempStore } from '../../db/test-fixtures';
import { createCenterLink } from '../center-link';
import { createEventHub } from '../events';
import { createAgentDesk } from './index';

const silent = { info() {}, warn() {}, error() {} };
let store: TempStore | null = null;
afterEach(() => {
  store?.cleanup();
  store = null;
});

function offlineDesk() {
  store = tempStore();
  const hub = createEventHub();
  const seen: AgentStateView[] = [];
  hub.on('agentState', (s) => seen.push(s));
  const link = createCenterLink({
    centerUrl: 'http://127.0.0.1:9',
    listeners: { connected() {}, disconnected() {}, connectFailed() {} },
  });
  let kicks = 0;
  const desk = createAgentDesk({ db: store.db, link, emit: hub.emit, logger: silent, onLocalWrite: () => (kicks += 1) });
  return { desk, seen, db: store.db, kicks: () => kicks };
}

describe('the agent desk while offline', () => {
  it('keeps the last state chosen for the reconnect and says so', async () => {
    const { desk, seen } = offlineDesk();
    await desk.handlers.setAgentState({ state: 'not_ready', reason: 'break' });
    const answer = await desk.handlers.setAgentState({ state: 'not_ready', reason: 'meal' });
    expect(answer).toMatchObject({ state: 'offline', pending: { state: 'not_ready', reason: 'meal' } });
    expect(seen.at(-1)?.pending).toEqual({ state: 'not_ready', reason: 'meal' });
  });

  it('refuses call control with what to do instead', async () => {
    const { desk } = offlineDesk();
    await expect(desk.handlers.callControl({ interactionId: randomUUID(), action: 'answer' })).rejects.toMatchObject({
      code: 'offline',
      message: expect.stringMatching(/^You are offline: .*Use your phone/),
    });
  });

  it('queues the disposition in the outbox and reports wrap-up as not yet finished', async () => {
    const { desk, db, kicks } = offlineDesk();
    const interactionId = randomUUID();
    const result = await desk.handlers.finishWrapUp({ interactionId, disposition: 'resolved' });
    expect(result).toEqual({ disposition: 'resolved', wrapUpFinished: false });
    const queued = listOutbox(db).filter((m) => m.name === 'disposition.set');
    expect(queued.map((m) => m.args)).toEqual([{ interactionId, code: 'resolved' }]);
    expect(kicks()).toBe(1);
  });

  it("reads a queue's disposition codes from the local store", async () => {
    const { desk, db } = offlineDesk();
    const queue = { id: 'billing', name: 'Billing', labels: { ko: '요금' }, dispositionRequired: true, dispositionCodes: [{ code: 'resolved', label: 'Resolved', labels: { ko: '해결' } }] };
    upsertQueue(db, queue);
    expect(await desk.handlers.getQueue({ queueId: 'billing' })).toEqual(queue);
    expect(await desk.handlers.getQueue({ queueId: 'sales' })).toBeNull();
  });
});
