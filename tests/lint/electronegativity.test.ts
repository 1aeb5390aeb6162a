// Runs @doyensec/electronegativity (Electron security linter) over the shell, the preload and the
// renderer's page. Every finding must be fixed or justified in electronegativity.json; a stale
// justification fails too, so the list stays true. Runs without network (`unshare --net` when it
// can) since the tool otherwise fetches translations and release lists from the internet.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist/index.js');
const config = JSON.parse(readFileSync(path.join(import.meta.dirname, 'electronegativity.json'), 'utf8')) as {
  excludedChecks: Record<string, string>;
  justified: Array<{ check: string; file: string; why: string }>;
};
const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;

interface Finding {
  check: string;
  file: string;
  location: string;
  sample: string;
}

interface Sarif {
  runs: Array<{
    results: Array<{
      ruleId: string;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>;
    }>;
  }>;
}

/**
 * The tool's SARIF report. (Its CSV writer races: the header is written by a separate async
 * writeFile that can land after the rows and overwrite their start, which broke this test in CI.)
 */
function parseSarif(text: string, sources: string): Finding[] {
  const report = JSON.parse(text) as Sarif;
  return report.runs.flatMap((run) =>
    run.results.map((r) => {
      const where = r.locations[0]!.physicalLocation;
      const location = `${where.region.startLine}:${where.region.startColumn}`;
      const file = where.artifactLocation.uri.replace(/\\/g, '/');
      const lines = existsSync(path.join(sources, file)) ? readFileSync(path.join(sources, file), 'utf8').split('\n') : [];
      return { check: r.ruleId, file, location, sample: (lines[where.region.startLine - 1] ?? '').trim() };
    }),
  );
}

const work = mkdtempSync(path.join(tmpdir(), 'earshot-electronegativity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function scan(): Finding[] {
  const src = path.join(work, 'src');
  const skipTests = (p: string) => !p.endsWith('.test.ts');
  cpSync(path.join(root, 'main/electron'), path.join(src, 'electron'), { recursive: true, filter: skipTests });
  cpSync(path.join(root, 'main/preload'), path.join(src, 'preload'), { recursive: true, filter: skipTests });
  cpSync(path.join(root, 'renderer/index.html'), path.join(src, 'index.html'));
  const out = path.join(work, 'findings.sarif');
  const args = [cli, '-i', src, '-o', out, '-r', '-v', 'false', '-e', electronVersion, '-x', Object.keys(config.excludedChecks).join(',')];
  const offline = spawnSync('unshare', ['--net', 'true']).status === 0;
  const run = offline ? spawnSync('unshare', ['--net', process.execPath, ...args], { encoding: 'utf8' }) : spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (!existsSync(out)) throw new Error(`electronegativity wrote no report (exit ${run.status}): ${run.stderr || run.stdout}`);
  return parseSarif(readFileSync(out, 'utf8'), src);
}

describe('electronegativity', () => {
  it('finds nothing that is not fixed or justified, and every justification still applies', () => {
    const findings = scan();
    expect(findings.length).toBeGreaterThan(0); // the tool ran and saw our sources
    const justified = (f: Finding) => config.justified.some((j) => j.check === f.check && j.file === f.file);
    const unjustified = findings.filter((f) => !justified(f)).map((f) => `${f.check} ${f.file}:${f.location} ${f.sample}`);
    expect(unjustified, 'fix these, or justify them in tests/lint/electronegativity.json').toEqual([]);
    const stale = config.justified.filter((j) => !findings.some((f) => f.check === j.check && f.file === j.file)).map((j) => `${j.check} ${j.file}`);
    expect(stale, 'these justifications no longer match a finding: remove them').toEqual([]);
    for (const j of config.justified) expect(j.why.length).toBeGreaterThan(40);
  });
});
