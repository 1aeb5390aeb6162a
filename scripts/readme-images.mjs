// `npm run readme-images`: refreshes the README's pictures (docs/images) from the end-to-end tests'
// screenshots of the demo. Builds, runs the tests that take them in Debian's Chromium (the shell at
// three sizes in two languages, the floor under load, the VOC loop, the wallboard, the VOC analysis, a
// chat in the desk and the widget), then copies
// the chosen screenshots. Demo data only: no real customer is ever in these pictures.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const artifacts = path.join(root, 'test-results/e2e');
const images = path.join(root, 'docs/images');

/** docs/images name ← the e2e screenshot it is taken from. */
const PICTURES = {
  'agent-desk.png': 'agent-desk-en-1280.png',
  'agent-desk-ko.png': 'agent-desk-ko-1280.png',
  'agent-desk-dark.png': 'agent-desk-dark-en-1280.png',
  'floor-view.png': 'supervisor-view.png',
  'voc-desk.png': 'voc-desk-item-en-1280.png',
  'wallboard.png': 'wallboard.png',
  'analysis.png': 'analysis-top-en-1920.png',
  'inbox.png': 'channels-desk-chat-en.png',
  'web-chat.png': 'webchat-transcript-en.png',
};
const TESTS = ['tests/e2e/shell.e2e.test.ts', 'tests/e2e/supervisor.e2e.test.ts', 'tests/e2e/voc-loop.e2e.test.ts', 'tests/e2e/wallboard.e2e.test.ts', 'tests/e2e/analysis.e2e.test.ts', 'tests/e2e/channels-desk.e2e.test.ts', 'tests/e2e/webchat.e2e.test.ts'];

function run(command, args, env = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`${[command, ...args].join(' ')} failed (exit ${r.status}); docs/images is unchanged.`);
    process.exit(r.status ?? 1);
  }
}

// `--copy-only`: the tests have just run (npm test does); copy their screenshots without running them again.
if (!process.argv.includes('--copy-only')) {
  const chromium = process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`Chromium is not at ${chromium}: install it (apt-get install chromium) or set EARSHOT_CHROMIUM.`);
    process.exit(1);
  }
  run(process.execPath, ['scripts/build.mjs']);
  run(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'tests/e2e/vitest.e2e.config.ts', ...TESTS], { EARSHOT_CHROMIUM: chromium });
}
mkdirSync(images, { recursive: true });
for (const [picture, shot] of Object.entries(PICTURES)) {
  const from = path.join(artifacts, shot);
  if (!existsSync(from)) {
    console.error(`The tests did not save ${shot}; ${picture} is unchanged.`);
    continue;
  }
  copyFileSync(from, path.join(images, picture));
  console.log(`docs/images/${picture} ← test-results/e2e/${shot}`);
}
