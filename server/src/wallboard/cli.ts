// `earshot-center wallboard add|revoke|list`: wallboard tokens from the command line. The token is
// printed once, on standard output; only its hash is stored.
import type { Db } from '../db/db';
import { createWallboardToken, listWallboardTokens, revokeWallboardToken, WallboardError } from './tokens';

export const WALLBOARD_USAGE = `earshot-center wallboard add TENANT LABEL        (prints a new wallboard token once; open /wallboard#token=…)
earshot-center wallboard revoke TENANT LABEL|ID
earshot-center wallboard list TENANT
`;

/** Returns the process exit code: 0 done, 1 refused (unknown tenant, nothing to revoke), 64 usage. */
export async function wallboardCli(
  args: readonly string[],
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
  io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } },
): Promise<number> {
  const [sub, tenant, label] = args;
  try {
    if (sub === 'add' && tenant && label) {
      const { token } = await withDb((db) => createWallboardToken(db, tenant, label, 'cli'));
      io.stdout.write(`${token}\n`);
      io.stderr.write(`Wallboard token "${label}" for tenant ${tenant} (shown once). Open <center URL>/wallboard#token=<token> on the screen (after #, so it never reaches a server log).\n`);
      return 0;
    }
    if (sub === 'revoke' && tenant && label) {
      const n = await withDb((db) => revokeWallboardToken(db, tenant, label));
      if (n === 0) {
        io.stderr.write(`No live wallboard token "${label}" in tenant ${tenant}; nothing revoked.\n`);
        return 1;
      }
      io.stdout.write(`Revoked ${n} wallboard token(s) "${label}" of tenant ${tenant}; their screens stop updating at once.\n`);
      return 0;
    }
    if (sub === 'list' && tenant) {
      const tokens = await withDb((db) => listWallboardTokens(db, tenant));
      for (const t of tokens) io.stdout.write(`${t.id}  ${t.revokedAt ? `revoked ${t.revokedAt}` : 'live'}  ${t.createdAt}  ${t.label}\n`);
      if (tokens.length === 0) io.stdout.write(`Tenant ${tenant} has no wallboard tokens.\n`);
      return 0;
    }
  } catch (err) {
    if (err instanceof WallboardError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  io.stderr.write(`Usage:\n${WALLBOARD_USAGE}`);
  return 64;
}
