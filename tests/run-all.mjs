// `npm test`: every tier, in order — type-check, lint (with the import boundaries), import cycles, vitest unit and
// integration tests, build, and the end-to-end tests in Chromium against a real center. Prints one
// line per tier and, last, `N passed, N failed, N skipped` summed over all tiers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const ci = process.env.CI === 'true' || process.env.CI === '1';
const outDir = path.join(root, 'test-results');
mkdirSync(outDir, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
const only = process.argv.slice(2); // e.g. `npm test -- vitest e2e`

function run(command, args, env = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return { code: result.status ?? 1, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

function tier(name, fn) {
  if (only.length && !only.includes(name)) return;
  console.log(`\n=== ${name} ===`);
  const { passed, failed, skipped, note } = fn();
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  lines.push(`${name.padEnd(10)} ${passed} passed, ${failed} failed, ${skipped} skipped${note ? `  (${note})` : ''}`);
}

/** A tier that is one check: its command passes or fails. */
const check = (command, args) => () => {
  const { code, seconds } = run(command, args);
  return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0, note: `${seconds} s` };
};

/** A vitest run, counted test by test from its JSON report. */
const vitest = (label, args, env = {}) => () => {
  const report = path.join(outDir, `${label}.json`);
  rmSync(report, { force: true });
  const { code, seconds } = run(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], env);
  if (!existsSync(report)) return { passed: 0, failed: 1, skipped: 0, note: `vitest exited ${code} without a report` };
  const json = JSON.parse(readFileSync(report, 'utf8'));
  const failedFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  const failed = json.numFailedTests + failedFiles + (code !== 0 && json.numFailedTests + failedFiles === 0 ? 1 : 0);
  return { passed: json.numPassedTests, failed, skipped: json.numPendingTests + json.numTodoTests, note: `${seconds} s` };
};

const bin = (name) => path.join(root, 'node_modules/.bin', name);

tier('typecheck', check(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']));
tier('lint', check(bin('eslint'), ['.', '--max-warnings=0']));
tier('cycles', check(process.execPath, ['tools/import-cycles.mjs']));
tier('vitest', vitest('vitest', []));
tier('build', check(process.execPath, ['scripts/build.mjs']));
tier('e2e', () => {
  const chromium = process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    const reason = `Chromium not found at ${chromium} (apt-get install chromium)`;
    if (ci) {
      console.error(`e2e: ${reason}; the Chromium tier is mandatory with CI=true.`);
      return { passed: 0, failed: 1, skipped: 0, note: reason };
    }
    console.log(`e2e: SKIPPED: ${reason}.`);
    return { passed: 0, failed: 0, skipped: 1, note: `SKIPPED: ${reason}` };
  }
  return vitest('e2e', ['--config', 'tests/e2e/vitest.e2e.config.ts'], { EARSHOT_CHROMIUM: chromium })();
});

console.log('\n=== summary ===');
for (const line of lines) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
