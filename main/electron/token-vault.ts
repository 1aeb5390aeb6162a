// The session token's vault in the Electron shell: Electron's safeStorage, which seals with a key the
// OS keeps for this user (DPAPI on Windows, the Keychain on macOS, the Secret Service or KWallet on
// Linux). Where it has no such key — not available, or Linux's "basic_text" fallback, whose key is a
// constant in Chromium — there is no vault: the services keep the token for this launch only and the
// agent signs in at every launch (main/services/session-vault.ts).
import type { TokenVault } from '../services/session-vault';

/** What is used of Electron's safeStorage (a parameter, so this is tested without Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

const PREFIX = 'k1:';

/** A keychain-backed vault, or null (and why) where the OS offers no key of its own. Call after app ready. */
export function keychainVault(safeStorage: SafeStorageLike, platform: NodeJS.Platform): { vault: TokenVault | null; why: string | null } {
  if (!safeStorage.isEncryptionAvailable()) return { vault: null, why: 'the operating system offers no keychain to this app' };
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') return { vault: null, why: `no keyring service (Secret Service or KWallet) is running (${backend})` };
  }
  return {
    why: null,
    vault: {
      kind: 'keychain',
      seal: (token) => PREFIX + safeStorage.encryptString(token).toString('base64'),
      open(sealed) {
        if (!sealed.startsWith(PREFIX)) return null;
        try {
          return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
        } catch {
          return null;
        }
      },
    },
  };
}
