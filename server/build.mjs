// The center's own build: one Node bundle with its CLI entry; npm packages stay in node_modules.
import { build } from 'vite';
import { rmSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;

export async function buildCenter() {
  rmSync(path.join(here, 'dist'), { recursive: true, force: true });
  await build({
    configFile: false,
    logLevel: 'warn',
    root: here,
    build: {
      ssr: true,
      target: 'node20',
      outDir: 'dist',
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      rollupOptions: {
        input: { 'cli-entry': path.join(here, 'src/cli-entry.ts'), index: path.join(here, 'src/index.ts') },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildCenter().catch((err) => {
    console.error(`Center build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
