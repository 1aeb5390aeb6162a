// CTI ownership on a real PostgreSQL: one leader per key, a takeover within seconds, never two at once.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgAdminUrl, pgSkipReason } from '../../../tests/support/postgres';
import { createLeadership, createSingleNodeLeadership, type Leadership } from './leadership';
import type { ClusterLog } from './redis-adapter';

const quiet: ClusterLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const RETRY_MS = 200;
const TAKEOVER_BOUND_MS = 5_000;

interface Node {
  name: string;
  leadership: Leadership;
  acquired: number;
  lost: string[];
}

const adminUrl = pgAdminUrl();
const label = adminUrl ? 'CTI ownership by advisory lock [postgres]' : `CTI ownership by advisory lock [postgres] (skipped: ${pgSkipReason()})`;

describe.skipIf(!adminUrl)(label, () => {
  let databaseUrl = '';
  let drop: () => Promise<void> = async () => undefined;
  const nodes: Node[] = [];
  let overlap: string[] = [];
  let watcher: ReturnType<typeof setInterval> | null = null;

  beforeAll(async () => {
    const d = await createTestDatabase(adminUrl as string);
    databaseUrl = d.url;
    drop = d.drop;
  });
  afterAll(() => drop());
  afterEach(async () => {
    if (watcher) clearInterval(watcher);
    for (const n of nodes.splice(0)) await n.leadership.stop();
  });

  function node(name: string, key = 4242n): Node {
    const n: Node = {
      name,
      acquired: 0,
      lost: [],
      leadership: createLeadership({
        databaseUrl,
        key,
        retryMs: RETRY_MS,
        applicationName: `earshot-test ${name}`,
        onAcquire: () => {
          n.acquired += 1;
        },
        onLose: (reason) => {
          n.lost.push(reason);
        },
        log: quiet,
      }),
    };
    nodes.push(n);
    return n;
  }

  /** Polls every node while the test runs and remembers any instant with two leaders of one key. */
  function watchForTwoLeaders(group: Node[]): void {
    overlap = [];
    watcher = setInterval(() => {
      const leaders = group.filter((n) => n.leadership.isLeader()).map((n) => n.name);
      if (leaders.length > 1) overlap.push(leaders.join('+'));
    }, 5);
  }

  async function until(what: string, ok: () => boolean, boundMs = TAKEOVER_BOUND_MS): Promise<void> {
    const deadline = Date.now() + boundMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`not within ${boundMs} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const leaderOf = (group: Node[]) => group.filter((n) => n.leadership.isLeader());

  it('two nodes on one key: exactly one leads, and stopping it hands CTI to the other', async () => {
    const a = node('a');
    const b = node('b');
    watchForTwoLeaders([a, b]);
    a.leadership.start();
    b.leadership.start();
    await until('one leader', () => leaderOf([a, b]).length === 1);
    // Several retry rounds later the follower still has not got in.
    await new Promise((r) => setTimeout(r, RETRY_MS * 4));
    expect(leaderOf([a, b])).toHaveLength(1);
    const [first] = leaderOf([a, b]) as [Node];
    const second = first === a ? b : a;
    expect(second.acquired).toBe(0);

    await first.leadership.stop();
    expect(first.lost).toEqual(['this node is stopping']);
    await until('the other node takes over', () => second.leadership.isLeader());
    expect(second.acquired).toBe(1);
    expect(overlap).toEqual([]);
  });

  it("when the leader's connection is terminated it stops CTI at once and the other node takes over", async () => {
    const a = node('a');
    const b = node('b');
    watchForTwoLeaders([a, b]);
    a.leadership.start();
    await until('a leads', () => a.leadership.isLeader());
    b.leadership.start();

    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const killed = await admin.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'earshot-test a'`,
      );
      expect(killed.rows.map((r) => r.ok)).toEqual([true]);
    } finally {
      await admin.end();
    }
    await until('a knows it lost', () => a.lost.length === 1);
    expect(a.lost[0]).toMatch(/connection/);
    await until('b takes over', () => b.leadership.isLeader());
    // a reconnects as a follower and stays one while b holds the lock.
    await new Promise((r) => setTimeout(r, RETRY_MS * 4));
    expect(a.leadership.isLeader()).toBe(false);
    expect(a.acquired).toBe(1);
    expect(overlap).toEqual([]);
  });

  it('different keys do not exclude each other (the control for the tests above)', async () => {
    const a = node('a', 1n);
    const b = node('b', 2n);
    a.leadership.start();
    b.leadership.start();
    await until('both lead', () => a.leadership.isLeader() && b.leadership.isLeader());
  });

  it('a node whose onAcquire fails lets go, so a healthy node can own CTI', async () => {
    const broken: Node = { name: 'broken', acquired: 0, lost: [], leadership: null as unknown as Leadership };
    broken.leadership = createLeadership({
      databaseUrl,
      key: 7n,
      retryMs: RETRY_MS,
      onAcquire: () => {
        broken.acquired += 1;
        throw new Error('AMI refused the login');
      },
      onLose: (reason) => {
        broken.lost.push(reason);
      },
      log: quiet,
    });
    nodes.push(broken);
    broken.leadership.start();
    await until('broken tried', () => broken.acquired >= 1);
    expect(broken.lost[0]).toBe('starting CTI sources failed');
    const healthy = node('healthy', 7n);
    await broken.leadership.stop();
    healthy.leadership.start();
    await until('healthy leads', () => healthy.leadership.isLeader());
  });
});

describe('single-node leadership (PGlite)', () => {
  it('owns CTI from start to stop', async () => {
    const events: string[] = [];
    const l = createSingleNodeLeadership({ onAcquire: () => void events.push('acquire'), onLose: (r) => void events.push(`lose: ${r}`), log: quiet });
    expect(l.isLeader()).toBe(false);
    l.start();
    expect(l.isLeader()).toBe(true);
    await Promise.resolve();
    await l.stop();
    expect(l.isLeader()).toBe(false);
    expect(events).toEqual(['acquire', 'lose: this node is stopping']);
  });
});
