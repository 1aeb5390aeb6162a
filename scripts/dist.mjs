// `npm run dist`: installers with electron-builder (electron-builder.yml), signed from the build
// machine's environment (scripts/signing.mjs; `--unsigned` for test builds). It needs the Electron
// binary; where there is none (ELECTRON_SKIP_BINARY_DOWNLOAD=1 build machines) it says so and stops.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { findElectron } from './electron-binary.mjs';
import { root } from './paths.mjs';
import { signingPlan, targetsOf } from './signing.mjs';

const electron = findElectron();
if ('missing' in electron) {
  console.error(`Cannot build installers here: ${electron.missing}. Run \`npm run dist\` on a machine where \`npm ci\` downloaded Electron.`);
  process.exit(2);
}
// Signing comes from the build machine's environment (scripts/signing.mjs, docs/it-deployment.md).
const argv = process.argv.slice(2);
const unsigned = argv.includes('--unsigned');
const builderArgs = argv.filter((a) => a !== '--unsigned');
const plan = signingPlan({ targets: targetsOf(builderArgs), env: process.env, unsigned });
if (plan.problems.length > 0) {
  for (const problem of plan.problems) console.error(problem);
  process.exit(2);
}
if (unsigned) console.warn('Building UNSIGNED test installers: never deploy them (they accept no update on Windows and are not notarised on macOS).');
const { buildAll } = await import('./build.mjs');
await buildAll();
const result = spawnSync(path.join(root, 'node_modules/.bin/electron-builder'), ['--config', 'electron-builder.yml', ...plan.args, ...builderArgs], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ...plan.env },
});
process.exit(result.status ?? 1);
