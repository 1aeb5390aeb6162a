import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRotatingLog } from './rotating-log';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('rotating log', () => {
  it('writes masked JSON lines at or above its level', () => {
    const log = createRotatingLog({ dir, level: 'info', now: () => new Date('2026-11-25T00:00:00Z') });
    log.info({ customer: { displayName: 'Lee Jiwoo' }, phone: '+821099998888', queue: 'billing' }, 'screen pop for +821099998888');
    log.debug({ x: 1 }, 'not written at info');
    log.setLevel('debug');
    log.debug({ x: 2 }, 'written at debug');
    log.close();
    const written = lines(path.join(dir, 'earshot.log'));
    expect(written).toEqual([
      { time: '2026-11-25T00:00:00.000Z', level: 'info', msg: 'screen pop for [phone]', customer: { displayName: '[masked]' }, phone: '[masked]', queue: 'billing' },
      { time: '2026-11-25T00:00:00.000Z', level: 'debug', msg: 'written at debug', x: 2 },
    ]);
    expect(readFileSync(path.join(dir, 'earshot.log'), 'utf8')).not.toMatch(/Jiwoo|99998888/);
  });

  it('rotates by size, keeps maxFiles old files, and loses no line of the ones kept', () => {
    const log = createRotatingLog({ dir, maxBytes: 1024, maxFiles: 3 });
    for (let i = 0; i < 200; i += 1) log.info({ i }, 'sync cycle');
    log.close();
    const names = readdirSync(dir).sort();
    expect(names).toEqual(['earshot.log', 'earshot.log.1', 'earshot.log.2', 'earshot.log.3']);
    for (const name of names) expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(1024);
    // Oldest kept to newest: a contiguous run ending at the last line written.
    const seen = ['earshot.log.3', 'earshot.log.2', 'earshot.log.1', 'earshot.log'].flatMap((n) => lines(path.join(dir, n)).map((l) => l.i as number));
    expect(seen.at(-1)).toBe(199);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, k) => seen[0]! + k));
  });

  it('appends to the existing file after a restart', () => {
    createRotatingLog({ dir }).info({ run: 1 }, 'first');
    const log = createRotatingLog({ dir });
    log.info({ run: 2 }, 'second');
    log.close();
    expect(lines(path.join(dir, 'earshot.log')).map((l) => l.run)).toEqual([1, 2]);
  });

  it('masks an error logged as the object, message included', () => {
    const log = createRotatingLog({ dir });
    log.error(new Error('the call from +821099998888 could not be saved'));
    log.close();
    const [entry] = lines(path.join(dir, 'earshot.log'));
    expect(entry).toMatchObject({ level: 'error', name: 'Error', message: 'the call from [phone] could not be saved' });
    expect(readFileSync(path.join(dir, 'earshot.log'), 'utf8')).not.toMatch(/99998888/);
  });

  it('has every line on disk when the process dies right after writing it', () => {
    const module = path.join(import.meta.dirname, 'rotating-log.ts');
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `const { createRotatingLog } = await import(${JSON.stringify(module)});
const log = createRotatingLog({ dir: ${JSON.stringify(dir)}, maxBytes: 1024, maxFiles: 50 });
for (let i = 0; i < 50; i += 1) log.info({ i }, 'sync cycle');
process.exit(3);`],
      { encoding: 'utf8' },
    );
    expect(child.status, child.stderr).toBe(3);
    const written = readdirSync(dir).flatMap((name) => lines(path.join(dir, name)).map((l) => l.i as number));
    expect(written.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, k) => k));
  });
});
