// `npm run bench`: runs every tests/bench/*.bench.ts (TypeScript through tsx) and prints one table.
// Pass names to run some: `npm run bench -- local-lookup`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'tests/bench/main.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
process.exit(result.status ?? 1);
