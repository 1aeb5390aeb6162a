// A cache of ready-made in-memory PGlite databases. PGlite's own initdb costs seconds on every
// in-memory open (tests, throw-away demos); loading a dump of an already migrated (and optionally
// seeded) database is several times faster. Keyed by content, so a changed migration or changed
// seed data never loads a stale template. Only for in-memory databases.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from './db';
import { migrate, MIGRATIONS } from './migrate';
import { openPglite, type PgliteDb } from './pglite';

const CACHE_DIR = path.join(os.tmpdir(), 'earshot-pglite-templates');
const STALE_MS = 2 * 86_400_000;
const inProcess = new Map<string, Promise<Blob>>();

/** The cache key: the schema plus whatever describes the seed (`seedKey`, e.g. a hash of the data). */
export function templateKey(seedKey = ''): string {
  const h = createHash('sha256');
  for (const m of MIGRATIONS) h.update(m.id).update(m.sql);
  return h.update(seedKey).digest('hex').slice(0, 32);
}

async function buildTemplate(key: string, seed: (db: Db) => Promise<void>): Promise<Blob> {
  const file = path.join(CACHE_DIR, `${key}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    // not cached yet
  }
  const db: PgliteDb = await openPglite();
  try {
    await migrate(db);
    await seed(db);
    const dump = await db.dump();
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      // write-then-rename: a reader in another process never sees half a file
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
      renameSync(tmp, file);
      for (const other of readdirSync(CACHE_DIR)) {
        const p = path.join(CACHE_DIR, other);
        if (p !== file && Date.now() - statSync(p).mtimeMs > STALE_MS) rmSync(p, { force: true });
      }
    } catch {
      // a read-only or full temp dir only costs speed
    }
    return dump;
  } finally {
    await db.close();
  }
}

/**
 * Opens an in-memory PGlite that is migrated and seeded by `seed`, from the cached template for
 * `key` when there is one. The caller still runs its usual (idempotent) migrate and seed steps.
 */
export async function openPgliteFromTemplate(key: string, seed: (db: Db) => Promise<void>): Promise<Db> {
  let template = inProcess.get(key);
  if (!template) {
    template = buildTemplate(key, seed);
    inProcess.set(key, template);
    template.catch(() => inProcess.delete(key));
  }
  return openPglite(undefined, await template);
}
