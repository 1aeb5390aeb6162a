// One process per data directory, as PostgreSQL's postmaster.pid does it: a lock file inside the
// directory names its holder (process id, computer, when it started, where it serves), appears whole
// (written aside, then hard-linked into place, which fails if one is there), and is readable by its
// owner only. A lock whose process is gone (kill -9, a crash, a restart of the computer) is seen as
// stale at once, from the process table rather than a timeout, and taken over.
import { randomUUID } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'earshot.lock';

/** Another live process holds the directory. `holder` is what its lock file says. */
export class DirLockHeldError extends Error {
  /** `explain(heldBy)` words the message; by default "<dir> is in use by <holder>." */
  constructor(file, holder, detail, explain = (heldBy) => `${path.dirname(file)} is in use by ${heldBy}.`) {
    super(explain(`${describeHolder(holder)}${detail ? ` (${detail})` : ''}`));
    this.name = 'DirLockHeldError';
    this.code = 'EARSHOT_DIR_LOCKED';
    this.file = file;
    this.holder = holder;
    this.detail = detail ?? null;
  }
}

/** "process 4242 (earshot-center) on this computer since 2026-05-01T09:30:00.000Z, at http://127.0.0.1:8080" */
export function describeHolder(holder) {
  if (holder.unreadable) return "another user's Earshot on this computer";
  const where = holder.hostname === os.hostname() ? 'on this computer' : `on the computer "${holder.hostname}"`;
  const url = typeof holder.info?.url === 'string' ? `, at ${holder.info.url}` : '';
  return `process ${holder.pid} (${holder.app}) ${where} since ${holder.startedAt}${url}`;
}

/**
 * Takes the lock on `dir` (created if missing) or throws DirLockHeldError naming the holder (worded
 * by `explain`, given who holds it). A stale lock (its process is gone) is taken over. `info` is what
 * a second start may read: say, `{ url }`.
 */
export function acquireDirLock(dir, { app, info = {}, fileName = LOCK_FILE, explain }) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, fileName);
  const me = { app, pid: process.pid, hostname: os.hostname(), bootId: bootId(), processStart: processStart(process.pid), startedAt: new Date().toISOString(), token: randomUUID(), info };
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createWhole(file, me)) return handle(file, me);
    const seen = readLock(file);
    if (seen === 'gone') continue;
    if (seen === 'partial') {
      sleep(20);
      continue;
    }
    const verdict = judge(seen.holder);
    if (verdict.alive) throw new DirLockHeldError(file, seen.holder, verdict.why, explain);
    takeOver(file, seen.raw);
  }
  throw new Error(`Could not take the lock ${file}: other processes kept taking it. Try again.`);
}

/** What a second start sees: no lock, a live holder, or a stale one (left by a process that is gone). */
export function inspectDirLock(dir, { fileName = LOCK_FILE } = {}) {
  const file = path.join(dir, fileName);
  for (let attempt = 0; attempt < 50; attempt++) {
    const seen = readLock(file);
    if (seen === 'gone') return { state: 'free', file };
    if (seen === 'partial') {
      sleep(20);
      continue;
    }
    const verdict = judge(seen.holder);
    return { state: verdict.alive ? 'held' : 'stale', file, holder: seen.holder, why: verdict.why };
  }
  return { state: 'stale', file, holder: null, why: 'its lock file cannot be read' };
}

function handle(file, me) {
  let current = me;
  const mine = (f) => {
    const seen = readLock(f);
    return typeof seen === 'object' && seen.holder.token === me.token;
  };
  return {
    file,
    get holder() {
      return current;
    },
    /** Adds to what the lock says (e.g. the address once listening). False if the lock is no longer ours. */
    update(info) {
      if (!mine(file)) return false;
      current = { ...current, info: { ...current.info, ...info } };
      const tmp = `${file}.${process.pid}-${randomUUID()}.tmp`;
      writeFileSync(tmp, JSON.stringify(current), { mode: 0o600 });
      renameSync(tmp, file);
      return true;
    },
    /** Removes the lock if it is still ours; `at` is where the directory now is, if it was moved. */
    release(at) {
      const f = at ? path.join(at, path.basename(file)) : file;
      if (mine(f)) rmSync(f, { force: true });
    },
  };
}

/** Writes the lock aside and links it into place: it appears whole, or not at all if one is there. */
function createWhole(file, record) {
  const tmp = `${file}.${process.pid}-${record.token}.tmp`;
  writeFileSync(tmp, JSON.stringify(record), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if (err.code === 'EEXIST') return false;
    // A file system without hard links: create-exclusive instead (a reader may see it half written,
    // and then waits a moment).
    if (err.code === 'EPERM' || err.code === 'ENOTSUP' || err.code === 'EOPNOTSUPP' || err.code === 'ENOSYS') {
      try {
        writeFileSync(file, JSON.stringify(record), { flag: 'wx', mode: 0o600 });
        return true;
      } catch (e) {
        if (e.code === 'EEXIST') return false;
        throw e;
      }
    }
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The lock's record, 'gone' if there is none, 'partial' while one may still be being written. */
function readLock(file) {
  let raw;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return 'gone';
    // Readable by its owner only: another user's Earshot holds it.
    if (err.code === 'EACCES' || err.code === 'EPERM') return { raw: null, holder: { app: 'unknown', pid: 0, hostname: os.hostname(), startedAt: 'an unknown time', unreadable: true } };
    throw err;
  }
  try {
    const holder = JSON.parse(raw);
    if (holder && typeof holder === 'object' && Number.isInteger(holder.pid) && typeof holder.hostname === 'string') return { raw, holder };
  } catch {
    // not whole: see below
  }
  let age;
  try {
    age = Date.now() - statSync(file).mtimeMs;
  } catch {
    return 'gone';
  }
  // Only the create-exclusive fallback shows a file before it is whole; older than that, it is garbage.
  return age < 2000 ? 'partial' : { raw, holder: { app: 'unknown', pid: 0, hostname: os.hostname(), startedAt: 'an unknown time', garbled: true } };
}

/** Is the holder still running? Only a holder on this computer can be checked. */
function judge(holder) {
  if (holder.garbled) return { alive: false, why: 'its lock file is unreadable' };
  if (holder.unreadable) return { alive: true, why: `its lock file ${LOCK_FILE} belongs to another user of this computer` };
  if (holder.hostname !== os.hostname()) {
    return { alive: true, why: `it cannot be checked from here; if nothing runs there any more, delete the file ${LOCK_FILE} in that directory` };
  }
  const boot = bootId();
  if (boot && holder.bootId && boot !== holder.bootId) return { alive: false, why: 'the computer has restarted since' };
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if (err.code === 'ESRCH') return { alive: false, why: 'that process has ended' };
    // EPERM: it exists, under another user.
  }
  const start = processStart(holder.pid);
  if (start && holder.processStart && start !== holder.processStart) return { alive: false, why: 'its process id now belongs to another program' };
  // Without start times (not Linux) a process id reused by another program looks alive: say how out.
  if (!start || !holder.processStart) return { alive: true, why: `if that process is not an Earshot, delete the file ${LOCK_FILE} in that directory` };
  return { alive: true, why: null };
}

/**
 * Replaces a stale lock. Two processes may find the same stale lock at once: a guard file (created
 * exclusively) lets one of them at a time check that the lock is still the stale one and remove it;
 * each then races to create its own, and exactly one wins.
 */
function takeOver(file, staleRaw) {
  const guard = `${file}.takeover`;
  try {
    writeFileSync(guard, JSON.stringify({ pid: process.pid, hostname: os.hostname(), processStart: processStart(process.pid) }), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    // Someone else is taking over. A guard whose process died in that instant is removed.
    const seen = readLock(guard);
    if (typeof seen === 'object' && !judge(seen.holder).alive) rmSync(guard, { force: true });
    else sleep(10);
    return;
  }
  try {
    let now;
    try {
      now = readFileSync(file, 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT') return;
      throw err;
    }
    if (now === staleRaw) unlinkSync(file);
  } finally {
    rmSync(guard, { force: true });
  }
}

/** Linux: the boot's id, so a lock from before a restart is stale whatever its process id now is. */
function bootId() {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Linux: when the process started (clock ticks since boot), which tells a reused process id apart. */
function processStart(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name (field 2) may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
