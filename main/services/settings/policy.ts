// Reads the machine-wide policy IT sets: Linux /etc/earshot/policy.json (trusted only if owned by
// root and not writable by group or others), Windows HKLM\SOFTWARE\Policies\Earshot\Desktop (through
// `reg query`), macOS managed preferences. A missing policy is normal; an untrusted or unreadable one
// is ignored with a problem that says why, so the desktop still starts.
import { execFile } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, constants as fsc } from 'node:fs';
import { parse as parsePlist } from 'plist';
import { parseRegQuery } from './reg-query';
import { POLICY_KEYS, parseSettingValues, type Settings } from './schema';

export const LINUX_POLICY_PATH = '/etc/earshot/policy.json';
export const WINDOWS_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Earshot\\Desktop';
export const MAC_POLICY_PATH = '/Library/Managed Preferences/com.earshot.desktop.plist';

export interface MachinePolicy {
  values: Partial<Settings>;
  /** Where the policy came from, for the diagnostics and the settings page (null: no policy). */
  origin: string | null;
  problems: string[];
}

/** Runs a program and returns its stdout; rejects with the exit code on failure. Injectable for tests. */
export type RunProgram = (file: string, args: string[]) => Promise<{ code: number; stdout: string }>;

const runProgram: RunProgram = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, maxBuffer: 1024 * 1024, windowsHide: true }, (err, stdout) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? Number(err.code) : 0, stdout });
    });
  });

const none = (problems: string[] = []): MachinePolicy => ({ values: {}, origin: null, problems });

function fromRecord(raw: Record<string, unknown>, origin: string): MachinePolicy {
  const { values, problems } = parseSettingValues(raw, POLICY_KEYS, `Policy ${origin}`);
  return { values, origin, problems };
}

/**
 * Linux: the file must be a regular file owned by root (uid 0) and not group- or world-writable,
 * otherwise any local user could point every desktop at their own center. Checked on the open
 * file descriptor, so the file cannot be swapped between the check and the read.
 */
export function readLinuxPolicy(file = LINUX_POLICY_PATH): MachinePolicy {
  let fd: number;
  try {
    fd = openSync(file, fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return none();
    if (code === 'ELOOP') return none([`Policy ${file} is a symbolic link and was ignored; IT should install the file itself (owned by root, mode 0644).`]);
    return none([`Policy ${file} could not be opened (${code ?? 'error'}) and was ignored.`]);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return none([`Policy ${file} is not a regular file and was ignored.`]);
    if (stat.uid !== 0) return none([`Policy ${file} is not owned by root and was ignored; run: sudo chown root:root ${file}`]);
    if ((stat.mode & 0o022) !== 0) return none([`Policy ${file} is writable by group or others and was ignored; run: sudo chmod 644 ${file}`]);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(fd, 'utf8'));
    } catch {
      return none([`Policy ${file} is not valid JSON and was ignored; check it with: python3 -m json.tool ${file}`]);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return none([`Policy ${file} must hold one JSON object and was ignored.`]);
    return fromRecord(json as Record<string, unknown>, file);
  } finally {
    closeSync(fd);
  }
}

/** Windows: `reg query` exits 1 when the key does not exist, which means no policy. */
export async function readWindowsPolicy(run: RunProgram = runProgram, key = WINDOWS_POLICY_KEY): Promise<MachinePolicy> {
  let result: { code: number; stdout: string };
  try {
    result = await run('reg', ['query', key]);
  } catch (err) {
    return none([`Policy ${key} could not be read (${err instanceof Error ? err.message : 'reg.exe failed'}) and was ignored.`]);
  }
  if (result.code !== 0) return none();
  return fromRecord(parseRegQuery(result.stdout), key);
}

/**
 * macOS: managed preferences are root-owned by construction. XML property lists are read by the
 * `plist` package; binary ones are converted by Apple's own plutil, which every Mac has.
 */
export async function readMacPolicy(file = MAC_POLICY_PATH, run: RunProgram = runProgram): Promise<MachinePolicy> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return none();
    return none([`Policy ${file} could not be read and was ignored.`]);
  }
  try {
    let parsed: unknown;
    if (bytes.subarray(0, 6).toString('latin1') === 'bplist') {
      const { code, stdout } = await run('plutil', ['-convert', 'json', '-o', '-', file]);
      if (code !== 0) throw new Error('plutil could not convert it');
      parsed = JSON.parse(stdout);
    } else {
      parsed = parsePlist(bytes.toString('utf8'));
    }
    // A property list may hold any value at its top; a policy is a dictionary.
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || parsed instanceof Date || parsed instanceof Uint8Array) {
      throw new Error('not a dictionary');
    }
    return fromRecord(parsed as Record<string, unknown>, file);
  } catch (err) {
    return none([`Policy ${file} could not be parsed (${err instanceof Error ? err.message : 'error'}) and was ignored.`]);
  }
}

export interface PolicyLocations {
  linuxFile?: string;
  macFile?: string;
  windowsKey?: string;
  run?: RunProgram;
}

export async function readMachinePolicy(platform: NodeJS.Platform = process.platform, where: PolicyLocations = {}): Promise<MachinePolicy> {
  if (platform === 'win32') return readWindowsPolicy(where.run, where.windowsKey);
  if (platform === 'darwin') return readMacPolicy(where.macFile, where.run);
  return readLinuxPolicy(where.linuxFile);
}
