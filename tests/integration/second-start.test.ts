// A second `npm start` on the same Earshot data finds the one already running and says where it is
// (web mode: its address) instead of starting another center and desktop beside it (issue #20).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireDirLock } from '@earshot/dir-lock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';

const root = path.resolve(import.meta.dirname, '../..');
let dataDir = '';
let services: DesktopServices | null = null;
afterEach(async () => {
  await services?.stop();
  services = null;
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start`'s script on `dataDir`; killed if it has not ended in 30 s (it would be building). */
function npmStart(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env: { ...process.env, EARSHOT_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('a second npm start', () => {
  it('prints the address of the Earshot already running in web mode, and starts nothing', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'earshot-second-'));
    services = createDesktopServices({ dataDir: path.join(dataDir, 'desktop'), centerUrl: 'http://127.0.0.1:1' });
    await services.start();
    services.announce({ url: 'http://127.0.0.1:43210/?token=secret-of-this-user' });
    const second = await npmStart();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Earshot is already running (web mode, process ${process.pid} (earshot-desktop) on this computer`);
    expect(second.stdout).toContain('Open it at:\n  http://127.0.0.1:43210/?token=secret-of-this-user');
    expect(second.stdout).not.toMatch(/Building|center listening/);
  }, 60_000);

  it('refuses while a center alone holds the data, naming it', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'earshot-second-'));
    const lock = acquireDirLock(path.join(dataDir, 'center'), { app: 'earshot-center', info: { url: 'http://127.0.0.1:43211' } });
    try {
      const second = await npmStart();
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`An Earshot center already uses .*process ${process.pid} \\(earshot-center\\).*at http://127\\.0\\.0\\.1:43211\\)\\. Stop it first`));
    } finally {
      lock.release();
    }
  }, 60_000);
});
