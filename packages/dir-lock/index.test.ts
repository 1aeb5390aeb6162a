import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDirLock, DirLockHeldError, inspectDirLock, LOCK_FILE } from './index.js';

const moduleUrl = new URL('./index.js', import.meta.url).href;
const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'earshot-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A separate process that takes the lock (or reports who holds it) and then waits to be killed. */
function holderProcess(dir: string): Promise<{ child: ChildProcess; said: string }> {
  const code = `
    import { acquireDirLock } from ${JSON.stringify(moduleUrl)};
    try { acquireDirLock(${JSON.stringify(dir)}, { app: 'test-holder', info: { url: 'http://127.0.0.1:1' } }); console.log('locked'); }
    catch (err) { console.log('refused: ' + err.message); }
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) resolve({ child, said: out.trim() });
    });
    child.once('exit', (c) => reject(new Error(`holder exited ${c} before saying anything`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('the data directory lock', () => {
  it('refuses a second holder, naming the process, and is free again once released', () => {
    const dir = tempDir();
    const lock = acquireDirLock(dir, { app: 'earshot-center' });
    let refusal: unknown;
    try {
      acquireDirLock(dir, { app: 'earshot-center' });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(DirLockHeldError);
    expect((refusal as Error).message).toContain(`process ${process.pid} (earshot-center) on this computer`);
    expect(inspectDirLock(dir)).toMatchObject({ state: 'held', holder: { pid: process.pid } });
    lock.release();
    expect(inspectDirLock(dir).state).toBe('free');
    acquireDirLock(dir, { app: 'earshot-center' }).release();
  });

  it('is readable by its owner only, and carries what the holder adds (its address)', () => {
    const dir = tempDir();
    const lock = acquireDirLock(dir, { app: 'earshot-desktop' });
    expect(statSync(lock.file).mode & 0o777).toBe(0o600);
    expect(lock.update({ url: 'http://127.0.0.1:5000/?token=secret' })).toBe(true);
    expect(statSync(lock.file).mode & 0o777).toBe(0o600);
    const seen = inspectDirLock(dir);
    expect(seen.state === 'held' && seen.holder?.info).toEqual({ url: 'http://127.0.0.1:5000/?token=secret' });
    lock.release();
  });

  it('sees a holder killed with SIGKILL as gone at once and takes the lock over', async () => {
    const dir = tempDir();
    const first = await holderProcess(dir);
    expect(first.said).toBe('locked');
    const second = await holderProcess(dir);
    expect(second.said).toMatch(new RegExp(`refused: .*process ${first.child.pid} \\(test-holder\\).*at http://127\\.0\\.0\\.1:1`));
    await killed(first.child);
    expect(inspectDirLock(dir)).toMatchObject({ state: 'stale', why: 'that process has ended' });
    const started = Date.now();
    const lock = acquireDirLock(dir, { app: 'earshot-center' });
    // No timeout to wait out: the process table says the holder is gone.
    expect(Date.now() - started).toBeLessThan(1000);
    expect(lock.holder.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock whose process id now belongs to another program', () => {
    const dir = tempDir();
    const lock = acquireDirLock(dir, { app: 'earshot-center' });
    const record = JSON.parse(readFileSync(lock.file, 'utf8')) as { processStart: string | null };
    if (record.processStart === null) return; // not Linux: no start time to compare
    // Our own pid, but started at another time: the pid was reused after the holder died.
    writeFileSync(lock.file, JSON.stringify({ ...record, token: 'old', processStart: String(Number(record.processStart) - 1) }));
    expect(inspectDirLock(dir)).toMatchObject({ state: 'stale', why: 'its process id now belongs to another program' });
    const again = acquireDirLock(dir, { app: 'earshot-center' });
    again.release();
  });

  it('counts a holder on another computer as alive and says which file to delete', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ app: 'earshot-center', pid: 1, hostname: 'elsewhere', startedAt: '2026-01-01T00:00:00.000Z' }));
    expect(() => acquireDirLock(dir, { app: 'earshot-center' })).toThrow(/on the computer "elsewhere".*delete the file earshot\.lock/);
  });

  it('lets exactly one of several processes take over the same stale lock', async () => {
    const dir = tempDir();
    const gone = await holderProcess(dir);
    await killed(gone.child);
    const racers = await Promise.all([1, 2, 3, 4].map(() => holderProcess(dir)));
    const said = racers.map((r) => r.said);
    expect(said.filter((s) => s === 'locked')).toHaveLength(1);
    expect(said.filter((s) => s.startsWith('refused: '))).toHaveLength(3);
  });
});
