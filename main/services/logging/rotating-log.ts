// The desktop's log: pino's JSON lines in <userData>/logs/earshot.log, rotated by size into
// earshot.log.1 … .N, every entry masked before pino serialises it. Usable as the services'
// injected logger.
//
// The file end stays ours. pino-roll and rotating-file-stream were measured against it: both let a
// file pass its size limit (rotating after the line that crossed it; pino-roll not at all during a
// burst, 12 KB in a 1 KB file), rotating-file-stream writes asynchronously (none of the last 50
// lines on disk when the process exits at once), and pino-roll names files earshot.N.log with an
// ever-growing N. Here each line is written synchronously, so the lines just before a crash are on
// disk, and a file is rotated before a line would take it past the limit.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import pino, { type LogFn } from 'pino';
import { maskForLog, maskText } from './mask';

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';

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

/** pino's destination: whole lines, appended synchronously, the file rotated before it would outgrow maxBytes. */
function rotatingFile(base: string, maxBytes: number, maxFiles: number) {
  mkdirSync(path.dirname(base), { recursive: true, mode: 0o700 });
  let fd: number | null = openSync(base, 'a', 0o600);
  let size = fstatSync(fd).size;

  function rotate(): void {
    closeSync(fd!);
    try {
      rmSync(`${base}.${maxFiles}`, { force: true });
      for (let n = maxFiles - 1; n >= 1; n -= 1) {
        try {
          renameSync(`${base}.${n}`, `${base}.${n + 1}`);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
      renameSync(base, `${base}.1`);
    } finally {
      // Whether or not the files could be shifted, the log goes on in the current one.
      fd = openSync(base, 'a', 0o600);
      size = fstatSync(fd).size;
    }
  }

  return {
    write(line: string): void {
      if (fd === null) return;
      const bytes = Buffer.from(line);
      // A logger must never take the app down: a full disk loses log lines, not notes.
      try {
        if (size > 0 && size + bytes.length > maxBytes) rotate();
        writeSync(fd, bytes);
        size += bytes.length;
      } catch {
        /* nothing sensible to do */
      }
    },
    files(): string[] {
      return [base, ...Array.from({ length: maxFiles }, (_, k) => `${base}.${k + 1}`)];
    },
    close(): void {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

export function createRotatingLog(opts: RotatingLogOptions): DesktopLogger {
  const file = rotatingFile(path.join(opts.dir, opts.baseName ?? LOG_FILE_NAME), opts.maxBytes ?? 5 * 1024 * 1024, opts.maxFiles ?? 5);
  const now = opts.now ?? (() => new Date());
  const log = pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // Masked before pino sees anything: what reaches the file never held the personal data.
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskText(arg) : maskForLog(arg)));
          method.apply(this, masked as Parameters<LogFn>);
        },
      },
    },
    file,
  );
  return {
    error: (o, m) => log.error(o, m),
    warn: (o, m) => log.warn(o, m),
    info: (o, m) => log.info(o, m),
    debug: (o, m) => log.debug(o, m),
    setLevel(next) {
      log.level = next;
    },
    files: () => file.files(),
    close: () => file.close(),
  };
}
