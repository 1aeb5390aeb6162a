// No import cycle in any of our folders: a module that imports, directly or through others, a module
// that imports it back. Type-only imports count too (they tie two rooms together just the same).
// The graph is read with dpdm (TypeScript's own parser). `npm test` runs this as its own tier;
// `node tools/import-cycles.mjs` prints every cycle found and exits 1.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';

/** Every folder of ours with code; tests included (a test may import only what it tests, never a loop). */
export const OUR_CODE = ['packages/*/*.{js,mjs,ts}', 'main/**/*.{ts,tsx}', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts', 'server/src/**/*.ts', 'tests/**/*.{ts,tsx}', 'tools/**/*.{js,mjs}', 'scripts/**/*.mjs', 'packages/*/*.{js,ts}'];

/** The import cycles among the files `patterns` match under `cwd`, each as the list of files around it. */
export async function findImportCycles(patterns = OUR_CODE, cwd = process.cwd()) {
  const tree = await parseDependencyTree(patterns, {
    context: cwd,
    cwd,
    extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'],
    js: ['.ts', '.tsx', '.mjs', '.js'],
    // Packages are not ours: their own cycles are their business.
    include: /\.(tsx?|m?js)$/,
    exclude: /node_modules|\/dist\//,
    transform: false,
    skipDynamicImports: false,
    onProgress: () => undefined,
  });
  return parseCircular(tree, false).map((cycle) => cycle.map((file) => path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/')));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(import.meta.dirname, '..');
  const cycles = await findImportCycles(OUR_CODE, root);
  if (cycles.length === 0) {
    console.log('import cycles: none');
  } else {
    for (const cycle of cycles) console.error(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
    console.error(`${cycles.length} import cycle(s): break each by moving what both sides need into a module of its own, or by passing it in.`);
    process.exitCode = 1;
  }
}
