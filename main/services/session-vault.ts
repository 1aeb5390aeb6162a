// Where a session token is kept between launches. Never in the database in clear: the database keeps
// only what a TokenVault sealed. The Electron shell passes one backed by the OS keychain (Electron's
// safeStorage: DPAPI on Windows, the Keychain on macOS, the Secret Service or KWallet on Linux;
// main/electron/token-vault.ts). Where there is none (web mode, a Linux desktop without a keyring,
// tests) the process vault seals with a key that exists only in this process's memory: the token
// outlives a restart of the services inside one process, never a relaunch, so the agent signs in at
// every launch.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface TokenVault {
  /** What the OS keeps the key in, for the log ('keychain' or 'process'). */
  readonly kind: string;
  /** The token sealed for storage. */
  seal(token: string): string;
  /** The token, or null when this vault cannot open it (sealed by another launch, another machine, a reset keychain). */
  open(sealed: string): string | null;
}

const PREFIX = 'p1:';

/** Seals with AES-256-GCM under a key made now and kept only in memory. */
export function createProcessVault(): TokenVault {
  return createKeyVault(randomBytes(32), 'process');
}

/** Seals with AES-256-GCM under `key` (32 bytes): the process vault's, or a test's stand-in for an OS keychain. */
export function createKeyVault(key: Buffer, kind: string): TokenVault {
  if (key.length !== 32) throw new RangeError('A vault key is 32 bytes.');
  return {
    kind,
    seal(token) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) return null;
      try {
        const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
