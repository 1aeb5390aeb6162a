// Shared by the desktop integration suites: bounded polling and short retry delays for tests.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createDesktopServices, type DesktopServices, type DesktopServicesTuning } from '../../main/services/index';
import type { InboxView } from '../../shared/api/inbox';
import { createKeyVault, type TokenVault } from '../../main/services/session-vault';

/** Reconnect and retry quickly, so a test does not sit through production back-off. */
export const FAST: DesktopServicesTuning = { reconnectDelay: { min: 50, max: 300 }, backoff: { baseMs: 50, capMs: 300 } };

/** Polls until `check` returns something truthy; the bound is a safety net, not a timing assertion. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  describe?: () => Promise<unknown> | unknown,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${describe ? `; last seen ${JSON.stringify(await describe())}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A stand-in for the OS keychain (not reachable in tests) shared by this test and the desktop
 * processes it starts: they pass EARSHOT_TEST_VAULT_KEY on, so a session sealed by one opens in the next.
 */
export const TEST_VAULT_KEY = process.env.EARSHOT_TEST_VAULT_KEY ?? randomBytes(32).toString('base64');
export const testKeychain = (): TokenVault => createKeyVault(Buffer.from(TEST_VAULT_KEY, 'base64'), 'test keychain');

/**
 * agent1's and agent2's desktops of the demo tenant, signed in: agent1 available (so chats and mails
 * go to them), agent2 not ready (kept out of routing). `onInbox` follows agent1's inbox.
 */
export async function twoAgentDesks(centerUrl: string, dir: string, onInbox: (v: InboxView) => void, onDesk?: (desk: DesktopServices) => void): Promise<{ desk: DesktopServices; other: DesktopServices }> {
  const desk = createDesktopServices({ dataDir: join(dir, 'agent1'), centerUrl }, { ...FAST, requestTimeoutMs: 3_000 });
  desk.on('inbox', onInbox);
  onDesk?.(desk);
  await desk.start();
  await desk.handlers.signIn({ tenant: 'demo', username: 'agent1', password: 'demo' });
  const other = createDesktopServices({ dataDir: join(dir, 'agent2'), centerUrl }, FAST);
  await other.start();
  await other.handlers.signIn({ tenant: 'demo', username: 'agent2', password: 'demo' });
  await waitFor('agent2 known to the floor', () => other.handlers.getAgentState());
  await other.handlers.setAgentState({ state: 'not_ready', reason: 'training' });
  const state = await waitFor('agent1 known to the floor', () => desk.handlers.getAgentState());
  if (state.state !== 'available') await desk.handlers.setAgentState({ state: 'available' });
  return { desk, other };
}
