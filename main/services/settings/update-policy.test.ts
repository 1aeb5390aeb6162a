import { describe, expect, it } from 'vitest';
import { decideUpdates, detectInstallKind } from './update-policy';

describe('update decision', () => {
  it('follows updateMode for self-updating installs', () => {
    expect(decideUpdates({ updateMode: 'auto', installKind: 'nsis', packaged: true })).toEqual({ check: true, autoDownload: true, autoInstallOnQuit: true });
    expect(decideUpdates({ updateMode: 'manual', installKind: 'appimage', packaged: true })).toEqual({ check: true, autoDownload: false, autoInstallOnQuit: false });
    expect(decideUpdates({ updateMode: 'none', installKind: 'mac', packaged: true })).toMatchObject({ check: false });
  });

  it('never self-updates an MSI install, whatever updateMode says', () => {
    for (const updateMode of ['none', 'manual', 'auto'] as const) {
      expect(decideUpdates({ updateMode, installKind: 'msi', packaged: true })).toEqual({ check: false, reason: expect.stringMatching(/MSI/) });
    }
  });

  it('leaves deb/rpm to the package manager and development builds alone', () => {
    expect(decideUpdates({ updateMode: 'auto', installKind: 'deb', packaged: true }).check).toBe(false);
    expect(decideUpdates({ updateMode: 'auto', installKind: 'nsis', packaged: false }).check).toBe(false);
  });

  it('tells an MSI install from an NSIS one on Windows', () => {
    const base = { platform: 'win32' as const, packaged: true, env: {} };
    expect(detectInstallKind({ ...base, appDirFiles: ['Earshot.exe', 'Uninstall Earshot.exe'] })).toBe('nsis');
    expect(detectInstallKind({ ...base, appDirFiles: ['Earshot.exe', 'resources'] })).toBe('msi');
    expect(detectInstallKind({ platform: 'linux', packaged: true, env: { APPIMAGE: '/home/a/Earshot.AppImage' }, appDirFiles: [] })).toBe('appimage');
    expect(detectInstallKind({ platform: 'linux', packaged: true, env: {}, appDirFiles: [], packageType: 'rpm\n' })).toBe('rpm');
    expect(detectInstallKind({ platform: 'linux', packaged: false, env: {}, appDirFiles: [] })).toBe('development');
  });
});
