// Runs the center's command line in the test's process on a database (DATABASE_URL for PostgreSQL,
// --data-dir for PGlite), capturing what it writes and its exit code.
import { Readable } from 'node:stream';
import { main } from '../cli';

export async function runCli(target: { dataDir?: string; databaseUrl?: string }, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.env.DATABASE_URL;
  if (target.databaseUrl) process.env.DATABASE_URL = target.databaseUrl;
  else delete process.env.DATABASE_URL;
  try {
    const code = await main([...args, ...(target.dataDir ? ['--data-dir', target.dataDir] : [])], {
      stdin: Readable.from([]),
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
    });
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
  }
}
