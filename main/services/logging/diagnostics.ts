// "Export diagnostics": one zip IT can attach to a ticket — the log files (already masked, masked
// again in case an older build wrote them), the effective settings with secrets redacted, where
// each came from, and the versions of everything.
import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EffectiveSettings } from '../settings/effective';
import { maskText } from './mask';
import { buildZip, type ZipEntry } from './zip';

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

/** Writes the zip (atomically) and returns the names inside it. */
export function exportDiagnostics(input: DiagnosticsInput): string[] {
  const now = input.now ?? new Date();
  const entries: ZipEntry[] = [];
  for (const file of input.logFiles) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    entries.push({ name: `logs/${path.basename(file)}`, data: text.split('\n').map(maskText).join('\n'), modified: now });
  }
  entries.push({
    name: 'settings.json',
    data: `${JSON.stringify({ ...redactSettings(input.settings), policyOrigin: input.policyOrigin }, null, 2)}\n`,
    modified: now,
  });
  entries.push({
    name: 'versions.json',
    data: `${JSON.stringify({ ...input.versions, platform: process.platform, arch: process.arch, osRelease: os.release(), exportedAt: now.toISOString() }, null, 2)}\n`,
    modified: now,
  });
  mkdirSync(path.dirname(input.outFile), { recursive: true });
  const temp = `${input.outFile}.partial`;
  writeFileSync(temp, buildZip(entries));
  renameSync(temp, input.outFile);
  return entries.map((e) => e.name);
}
