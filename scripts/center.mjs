// `npm run center`: the Earshot center alone (builds it first if needed). All arguments go to its CLI.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { root } from './paths.mjs';

const entry = path.join(root, 'server/dist/cli-entry.js');
if (!existsSync(entry) || process.env.EARSHOT_REBUILD === '1') {
  const { buildCenter } = await import('../server/build.mjs');
  await buildCenter();
}
const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
