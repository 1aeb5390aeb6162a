// "Export diagnostics": one zip IT can attach to a ticket — the log files (already masked, masked
// again in case an older build wrote them), the effective settings with secrets redacted, where
// each came from, and the versions of everything. The zip is yazl's: it streams (50 logs of
// 100 MB never sit in memory), switches to zip64 past 4 GB and refuses entry names with `..`.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { EffectiveSettings } from '../settings/effective';
import { maskText } from './mask';

const SECRET_KEY = /token|password|secret|credential|key$/i;

export function redactSettings(settings: EffectiveSettings): object {
  const values = Object.fromEntries(Object.entries(settings.values).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : v]));
  return { values, source: settings.source, locked: settings.locked, problems: settings.problems };
}

export interface DiagnosticsInput {
  outFile: string;
  logFiles: readonly string[];
  settings: EffectiveSettings;
  policyOrigin: string | null;
  /** e.g. { earshot, electron, chrome, node, sqlite } */
  versions: Record<string, string | undefined>;
  now?: Date;
}

/** A log file masked line by line as it is read; line ends are kept as they were. */
async function* maskedLog(file: string): AsyncGenerator<string> {
  let partial = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    const lines = `${partial}${chunk as string}`.split('\n');
    partial = lines.pop() ?? '';
    if (lines.length > 0) yield `${lines.map(maskText).join('\n')}\n`;
  }
  yield maskText(partial);
}

/** Writes the zip (atomically: a failed export leaves no file behind) and returns the names inside it. */
export async function exportDiagnostics(input: DiagnosticsInput): Promise<string[]> {
  const now = input.now ?? new Date();
  const zip = new ZipFile();
  const names: string[] = [];
  // yazl does not watch the streams it is given: a read error must stop the export, not the app.
  const fail = (err: Error): void => void (zip.outputStream as Readable).destroy(err);
  zip.on('error', fail);
  for (const file of input.logFiles) {
    if (!existsSync(file)) continue;
    const name = `logs/${path.basename(file)}`;
    const masked = Readable.from(maskedLog(file)).on('error', fail);
    zip.addReadStream(masked, name, { mtime: now, mode: 0o100644 });
    names.push(name);
  }
  const settings = `${JSON.stringify({ ...redactSettings(input.settings), policyOrigin: input.policyOrigin }, null, 2)}\n`;
  zip.addBuffer(Buffer.from(settings), 'settings.json', { mtime: now, mode: 0o100644 });
  const versions = { ...input.versions, platform: process.platform, arch: process.arch, osRelease: os.release(), exportedAt: now.toISOString() };
  zip.addBuffer(Buffer.from(`${JSON.stringify(versions, null, 2)}\n`), 'versions.json', { mtime: now, mode: 0o100644 });
  names.push('settings.json', 'versions.json');
  zip.end();

  mkdirSync(path.dirname(input.outFile), { recursive: true });
  const temp = `${input.outFile}.partial`;
  try {
    await pipeline(zip.outputStream, createWriteStream(temp));
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  renameSync(temp, input.outFile);
  return names;
}
