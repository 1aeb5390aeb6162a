// Whether and how this desktop updates itself: policy `updateMode` decides, except that MSI
// installs never update themselves (IT redeploys the MSI; a self-update would fight the MSI's
// own records), nor do packages a system package manager owns (deb, rpm).
import type { UpdateMode } from './schema';

export type InstallKind = 'nsis' | 'msi' | 'deb' | 'rpm' | 'appimage' | 'mac' | 'development';

export type UpdateDecision =
  | { check: false; reason: string }
  | { check: true; autoDownload: boolean; autoInstallOnQuit: boolean };

export function decideUpdates(input: { updateMode: UpdateMode; installKind: InstallKind; packaged: boolean }): UpdateDecision {
  if (!input.packaged || input.installKind === 'development') return { check: false, reason: 'Updates are off in a development build.' };
  if (input.installKind === 'msi') return { check: false, reason: 'Installed from an MSI package: IT deploys updates.' };
  if (input.installKind === 'deb' || input.installKind === 'rpm') {
    return { check: false, reason: 'Installed by the system package manager: update Earshot through it.' };
  }
  if (input.updateMode === 'none') return { check: false, reason: 'Updates are turned off by your settings or by IT.' };
  const auto = input.updateMode === 'auto';
  return { check: true, autoDownload: auto, autoInstallOnQuit: auto };
}

/**
 * Tells how Earshot was installed from facts the shell gathers. electron-builder's NSIS installer
 * leaves an "Uninstall Earshot.exe" beside the app and its MSI does not; an AppImage runs with
 * APPIMAGE set; deb/rpm installs live under /opt and carry electron-builder's package-type file.
 */
export function detectInstallKind(facts: {
  platform: NodeJS.Platform;
  packaged: boolean;
  env: Record<string, string | undefined>;
  /** Names of the files in the application's directory (next to the executable). */
  appDirFiles: readonly string[];
  /** Contents of resources/package-type (electron-builder writes it for deb/rpm), if present. */
  packageType?: string | null;
}): InstallKind {
  if (!facts.packaged) return 'development';
  if (facts.platform === 'darwin') return 'mac';
  if (facts.platform === 'win32') {
    return facts.appDirFiles.some((f) => /^Uninstall .*\.exe$/i.test(f)) ? 'nsis' : 'msi';
  }
  if (facts.env.APPIMAGE) return 'appimage';
  const type = facts.packageType?.trim();
  if (type === 'rpm') return 'rpm';
  return 'deb';
}
