// `npm run dist`: installers with electron-builder (electron-builder.yml). It needs the Electron
// binary; where there is none (ELECTRON_SKIP_BINARY_DOWNLOAD=1 build machines) it says so and stops.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findElectron } from './electron-binary.mjs';
import { root } from './paths.mjs';

const electron = findElectron();
if ('missing' in electron) {
  console.error(`Cannot build installers here: ${electron.missing}. Run \`npm run dist\` on a machine where \`npm ci\` downloaded Electron.`);
  process.exit(2);
}
const { buildAll } = await import('./build.mjs');
await buildAll();
const result = spawnSync(path.join(root, 'node_modules/.bin/electron-builder'), ['--config', 'electron-builder.yml', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
