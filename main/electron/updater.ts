// Updates through electron-updater from the generic feed in electron-builder.yml (or updateFeedUrl
// from policy or the installer). Whether to check at all is decided by decideUpdates (policy
// updateMode; MSI, deb and rpm installs never update themselves). A signed build checks that every
// update is signed by the same publisher (Windows: publisherName in app-update.yml; macOS: the app's
// designated requirement), so a feed serving another file cannot swap the installer.
import { app, dialog } from 'electron';
import electronUpdater from 'electron-updater';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decideUpdates, detectInstallKind, type Settings, type UpdateDecision } from '../services/settings/index';

const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

export interface UpdaterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export function installKindHere() {
  const appDir = path.dirname(app.getPath('exe'));
  const packageTypeFile = path.join(process.resourcesPath ?? appDir, 'package-type');
  return detectInstallKind({
    platform: process.platform,
    packaged: app.isPackaged,
    env: process.env,
    appDirFiles: existsSync(appDir) ? readdirSync(appDir) : [],
    packageType: existsSync(packageTypeFile) ? readFileSync(packageTypeFile, 'utf8') : null,
  });
}

export function startUpdater(settings: Pick<Settings, 'updateMode' | 'updateFeedUrl'>, logger: UpdaterLogger): UpdateDecision {
  const decision = decideUpdates({ updateMode: settings.updateMode, installKind: installKindHere(), packaged: app.isPackaged });
  if (!decision.check) {
    logger.info({ reason: decision.reason }, 'update checks are off');
    return decision;
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = decision.autoDownload;
  autoUpdater.autoInstallOnAppQuit = decision.autoInstallOnQuit;
  autoUpdater.allowDowngrade = false;
  // The feed comes from policy or the installer (never the agent's own file in an installed Earshot),
  // https:// only (settings refuse anything else; checked again here, as it decides what runs next).
  if (settings.updateFeedUrl) {
    if (!/^https:\/\//i.test(settings.updateFeedUrl)) {
      logger.error({}, 'the update feed is not https://; update checks are off');
      return { check: false, reason: 'The update feed must use https://.' };
    }
    autoUpdater.setFeedURL({ provider: 'generic', url: settings.updateFeedUrl });
  }
  autoUpdater.logger = { info: (m: unknown) => logger.info({}, String(m)), warn: (m: unknown) => logger.warn({}, String(m)), error: (m: unknown) => logger.error({}, String(m)), debug: () => {} };
  autoUpdater.on('error', (err) => logger.warn({ err: err.message }, 'update check failed; will try again later'));
  if (!decision.autoDownload) {
    autoUpdater.on('update-available', (info) => {
      void dialog
        .showMessageBox({
          type: 'info',
          buttons: ['Download', 'Later'],
          defaultId: 0,
          message: `Earshot ${info.version} is available.`,
          detail: 'It downloads in the background and installs when you quit Earshot. Your notes are kept.',
        })
        .then(({ response }) => {
          if (response === 0) void autoUpdater.downloadUpdate();
        });
    });
  }
  const check = () => void autoUpdater.checkForUpdates().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'update check failed'));
  check();
  setInterval(check, CHECK_EVERY_MS).unref();
  return decision;
}
