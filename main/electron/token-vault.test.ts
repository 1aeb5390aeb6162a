// The keychain vault over a stand-in for Electron's safeStorage (the Electron binary is not here):
// sealed tokens are not the token, open only with the same key, and no vault where the OS has no key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keychainVault, type SafeStorageLike } from './token-vault';

/** Seals as safeStorage does, with a key "the OS" keeps (here: per instance). */
function osKeychain(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(text) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(buf) {
      const d = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      d.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('keychain vault', () => {
  it('seals a token so the stored text is not the token, and opens it with the same keychain only', () => {
    const { vault } = keychainVault(osKeychain(), 'linux');
    const sealed = vault!.seal('secret-session-token');
    expect(sealed).not.toContain('secret-session-token');
    expect(vault!.open(sealed)).toBe('secret-session-token');
    expect(keychainVault(osKeychain(), 'linux').vault!.open(sealed)).toBeNull(); // another user's or machine's key
    expect(vault!.open('p1:from-another-vault')).toBeNull();
  });

  it("gives no vault where the OS keeps no key: unavailable, or Linux's basic_text fallback", () => {
    expect(keychainVault(osKeychain('gnome_libsecret', false), 'win32')).toMatchObject({ vault: null, why: expect.stringMatching(/no keychain/) });
    expect(keychainVault(osKeychain('basic_text'), 'linux')).toMatchObject({ vault: null, why: expect.stringMatching(/basic_text/) });
    expect(keychainVault(osKeychain('basic_text'), 'darwin').vault).not.toBeNull(); // the backend is a Linux notion
  });
});
