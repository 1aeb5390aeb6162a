// What ships in every agent's installer: electron-builder packs the production dependency tree of
// the root package.json (its `dependencies`, then theirs; never the `server` workspace). The center's
// database, Redis and socket.io server packages belong to server/package.json, not in that tree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

const CENTER_PACKAGES = ['pg', 'pg-copy-streams', '@types/pg-copy-streams', 'redis', '@socket.io/redis-adapter', '@electric-sql/pglite', 'socket.io'];

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  link?: boolean;
  resolved?: string;
}

/** The directory a lockfile location's dependencies are looked up from next: its enclosing package's. */
const enclosing = (location: string) => {
  const at = location.lastIndexOf('/node_modules/');
  return at < 0 ? '' : location.slice(0, at);
};

/**
 * The names of every package `npm ci` installs for the root package's `dependencies`, each found
 * where Node would find it (the nearest node_modules up from the package that needs it).
 */
function desktopProductionTree(packages: Record<string, LockPackage>): Set<string> {
  const seen = new Set<string>();
  const names = new Set<string>();
  const enter = (location: string, name: string): void => {
    if (seen.has(location)) return;
    seen.add(location);
    names.add(name);
    let entry = packages[location]!;
    if (entry.link && entry.resolved !== undefined) entry = packages[entry.resolved] ?? {};
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const needs = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((peer) => !optionalPeers[peer]?.optional),
    ];
    for (const dependency of needs) find(location, dependency);
  };
  const find = (from: string, name: string): void => {
    for (let dir = from; ; dir = enclosing(dir)) {
      const location = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
      if (packages[location]) return enter(location, name);
      // Not installed at all: an optional dependency for another platform.
      if (dir === '') return;
    }
  };
  const desktop = packages['']!;
  for (const name of [...Object.keys(desktop.dependencies ?? {}), ...Object.keys(desktop.optionalDependencies ?? {})]) find('', name);
  return names;
}

describe("the desktop's production dependencies", () => {
  const manifest = readJson('package.json');
  const lock = readJson('package-lock.json');
  const tree = desktopProductionTree(lock.packages);

  it('are what package.json declares, and reach the packages the desktop runs on', () => {
    expect(lock.packages[''].dependencies).toEqual(manifest.dependencies);
    // Direct and transitive: a walk that found nothing could not fail the test below.
    for (const name of ['better-sqlite3', 'pino', 'sonic-boom', 'socket.io-client', 'engine.io-client']) expect(tree, name).toContain(name);
  });

  it("hold none of the center's packages, which server/package.json declares instead", () => {
    expect(CENTER_PACKAGES.filter((name) => tree.has(name))).toEqual([]);
    expect(Object.keys(readJson('server/package.json').dependencies ?? {})).toEqual(expect.arrayContaining(CENTER_PACKAGES));
  });
});
