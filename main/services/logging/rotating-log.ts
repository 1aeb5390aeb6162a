// The desktop's log: JSON lines in <userData>/logs/earshot.log, rotated by size into earshot.log.1 …
// .N, every entry masked first. Usable as the services' injected logger. Writes are synchronous,
// so the lines just before a crash are on disk.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { maskForLog, maskText } from './mask';

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<LogLevelName, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface DesktopLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  setLevel(level: LogLevelName): void;
  /** The files in use, newest first (for diagnostics). */
  files(): string[];
  close(): void;
}

export interface RotatingLogOptions {
  dir: string;
  baseName?: string;
  level?: LogLevelName;
  maxBytes?: number;
  /** How many rotated files are kept besides the current one. */
  maxFiles?: number;
  now?: () => Date;
}

export const LOG_FILE_NAME = 'earshot.log';

export function createRotatingLog(opts: RotatingLogOptions): DesktopLogger {
  const base = path.join(opts.dir, opts.baseName ?? LOG_FILE_NAME);
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const maxFiles = opts.maxFiles ?? 5;
  const now = opts.now ?? (() => new Date());
  let level: LogLevelName = opts.level ?? 'info';
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  let fd: number | null = openSync(base, 'a', 0o600);
  let size = fstatSync(fd).size;

  function rotate(): void {
    if (fd !== null) closeSync(fd);
    rmSync(`${base}.${maxFiles}`, { force: true });
    for (let n = maxFiles - 1; n >= 1; n -= 1) {
      try {
        renameSync(`${base}.${n}`, `${base}.${n + 1}`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    renameSync(base, `${base}.1`);
    fd = openSync(base, 'a', 0o600);
    size = 0;
  }

  function write(at: LogLevelName, obj: object, msg?: string): void {
    if (fd === null || RANK[at] > RANK[level]) return;
    const masked = maskForLog(obj);
    const entry = { time: now().toISOString(), level: at, msg: msg === undefined ? undefined : maskText(msg), ...(masked as object) };
    const line = Buffer.from(`${JSON.stringify(entry)}\n`);
    if (size > 0 && size + line.length > maxBytes) rotate();
    // A logger must never take the app down: a full disk loses log lines, not notes.
    try {
      writeSync(fd!, line);
      size += line.length;
    } catch {
      /* nothing sensible to do */
    }
  }

  return {
    error: (o, m) => write('error', o, m),
    warn: (o, m) => write('warn', o, m),
    info: (o, m) => write('info', o, m),
    debug: (o, m) => write('debug', o, m),
    setLevel(next) {
      level = next;
    },
    files() {
      const all = [base];
      for (let n = 1; n <= maxFiles; n += 1) all.push(`${base}.${n}`);
      return all;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
