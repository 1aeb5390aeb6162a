// Shared by the desktop integration suites: bounded polling and short retry delays for tests.
import { randomBytes } from 'node:crypto';
import type { DesktopServicesTuning } from '../../main/services/index';
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
