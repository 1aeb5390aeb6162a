// `npm run build`: the renderer (Vite + React), the desktop's Node bundles (Electron main, the
// sandboxed preload, the web-mode host) and the center (its own build in server/).
import { build } from 'vite';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCenter } from '../server/build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const quiet = { logLevel: 'warn', configFile: false, root };

/** A Node bundle: our code bundled, npm packages left to node_modules (native ones must be). */
export function nodeBundle({ input, outDir, format = 'es', external = [], bundleAll = false }) {
  return build({
    ...quiet,
    build: {
      ssr: true,
      target: 'node20',
      outDir,
      emptyOutDir: false,
      minify: false,
      sourcemap: true,
      rollupOptions: {
        input,
        external: ['electron', ...external],
        output: { format, entryFileNames: format === 'cjs' ? '[name].cjs' : '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
    ssr: bundleAll ? { noExternal: true } : {},
  });
}

export async function buildAll() {
  const started = Date.now();
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  await build({ logLevel: 'warn', configFile: path.join(root, 'renderer/vite.config.ts') });
  await nodeBundle({
    input: { 'electron/main': 'main/electron/main.ts', 'web-host/main': 'main/web-host/main.ts' },
    outDir: 'dist/main',
  });
  // The preload runs sandboxed: one CommonJS file with everything but 'electron' inside it.
  await nodeBundle({ input: { 'preload/index': 'main/preload/index.ts' }, outDir: 'dist/main', format: 'cjs', bundleAll: true });
  await buildCenter();
  writeFileSync(path.join(root, 'dist/.build-stamp'), new Date().toISOString());
  console.log(`Earshot built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildAll().catch((err) => {
    console.error(`Build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
