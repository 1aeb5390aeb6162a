// Electron's main process: one window serving the renderer from app://earshot, the desktop services
// in-process, IPC through registerApi. Everything that is not Electron glue lives in main/services
// and in the pure modules beside this file (window, security, deep-link, recovery, tray-status).
import { app, BrowserWindow, dialog, Menu, Notification, safeStorage, screen, session } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SyncStatus } from '../../shared/api/index';
import { IPC_EVENT_CHANNEL, type IpcEventMessage } from '../../shared/api/ipc';
import { useSqliteBinding } from '../db/connection';
import { createDesktopServices } from '../services/index';
import { FLUSH_TIMEOUT_MS } from '../services/shutdown/flush';
import { createRotatingLog, exportDiagnostics } from '../services/logging/index';
import { centerTlsOptions, chooseCenterUrl, INSTALLER_SETTINGS_FILE, loadSettings, trustCenterCa, type SettingsService, type WindowBounds } from '../services/settings/index';
import { deepLinkFromArgv, parseDeepLink, type DeepLink } from './deep-link';
import { createCloseGuard } from './close-guard';
import { hardenAllWebContents, hardenSession } from './hardening';
import { launchOverrides } from './launch-options';
import { keychainVault } from './token-vault';
import { chooseSqliteBinding } from './native-binding';
import { registerApi } from './ipc';
import { registerAppScheme, serveApp } from './protocol';
import { createCrashPolicy, GAVE_UP_MESSAGE, needsRecovery } from './recovery';
import { createTray, type EarshotTray } from './tray';
import { callNotification, trayStatus } from './tray-status';
import { startUpdater } from './updater';
import { APP_ORIGIN, placeOnDisplays, windowOptions } from './window';

const APP_ID = 'com.earshot.desktop';
const here = import.meta.dirname; // dist/main/electron (inside app.asar when packaged)
const rendererDir = path.resolve(here, '../../renderer');
const trayIconsDir = path.resolve(here, '../../../assets/tray');
/** A hung renderer gets this long to recover by itself before it is reloaded. */
const HANG_GRACE_MS = 15_000;

registerAppScheme();
app.enableSandbox();

const { values: cli } = parseArgs({ options: { 'center-url': { type: 'string' }, 'data-dir': { type: 'string' } }, allowPositionals: true, strict: false });
// Development only (launch-options.ts): a packaged build ignores them.
const overrides = launchOverrides({ packaged: app.isPackaged, cli, env: process.env });
// Before the single-instance lock, which is per user data directory: two demo agents with their
// own --data-dir may run side by side; two launches for one profile may not.
if (overrides.dataDir) app.setPath('userData', path.resolve(overrides.dataDir));
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.resolve(here, '../../../package.json'), 'utf8')) as { version?: string }).version ?? app.getVersion();
  } catch {
    return app.getVersion();
  }
}

async function main(): Promise<void> {
  const dataDir = app.getPath('userData');

  // Installed: the center, update feed and CA bundle come from policy or the installer only.
  const installed = app.isPackaged ? { installerFile: path.join(process.resourcesPath, INSTALLER_SETTINGS_FILE) } : undefined;
  const settings: SettingsService = await loadSettings({ userDataDir: dataDir, installed });
  const effective = settings.current().values;
  const logger = createRotatingLog({ dir: path.join(dataDir, 'logs'), level: effective.logLevel, maxBytes: effective.logMaxBytes, maxFiles: effective.logMaxFiles });
  for (const problem of settings.current().problems) logger.warn({}, problem);
  if (overrides.ignored.length > 0) logger.warn({ ignored: overrides.ignored }, 'a packaged Earshot ignores these launch options (they are for development)');

  // A center URL on the command line or in the environment (the demo launcher) yields to policy.
  const { centerUrl, overrideIgnored } = chooseCenterUrl(settings.current(), overrides.centerUrl);
  if (overrideIgnored) logger.warn({}, 'ignoring --center-url: the center is set by policy');

  let tlsProblem: string | null = null;
  try {
    trustCenterCa(centerTlsOptions(effective));
  } catch (err) {
    tlsProblem = err instanceof Error ? err.message : String(err);
    logger.error({}, tlsProblem);
  }

  await app.whenReady();
  app.setAppUserModelId(APP_ID);
  if (!app.isDefaultProtocolClient('earshot')) app.setAsDefaultProtocolClient('earshot');
  serveApp(rendererDir);
  hardenSession(session.defaultSession);
  hardenAllWebContents(logger);

  // better-sqlite3 built for Electron's ABI, apart from node_modules' Node build (native-binding.ts).
  const binding = chooseSqliteBinding({
    packaged: app.isPackaged,
    projectRoot: path.resolve(here, '../../..'),
    electronVersion: process.versions.electron,
    platform: process.platform,
    arch: process.arch,
    exists: existsSync,
  });
  if (binding.kind === 'missing') throw new Error(binding.message);
  if (binding.kind === 'electron-build') useSqliteBinding(binding.file);

  // The session token is kept sealed by the OS keychain; without one, for this launch only.
  const { vault, why } = keychainVault(safeStorage, process.platform);
  if (!vault) logger.warn({ why }, 'no OS keychain: the session is kept for this launch only, so the agent signs in at every launch');
  const services = createDesktopServices({ dataDir, centerUrl, autoSignIn: overrides.signIn, logger, settings, vault: vault ?? undefined });
  await services.start();

  const remembered = settings.current().values.windowBounds;
  const window = new BrowserWindow(
    windowOptions({
      bounds: placeOnDisplays(remembered, screen.getAllDisplays().map((d) => d.workArea)),
      preloadPath: path.resolve(here, '../preload/index.cjs'),
    }),
  );
  if (remembered?.maximized) window.maximize();
  registerApi(services, window);

  const bringToFront = () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  // ---- window bounds, remembered in the user's settings ----
  const rememberBounds = () => {
    if (window.isDestroyed() || window.isMinimized()) return;
    const maximized = window.isMaximized();
    const b = window.getNormalBounds();
    const bounds: WindowBounds = { x: b.x, y: b.y, width: b.width, height: b.height, maximized };
    try {
      settings.update({ windowBounds: bounds });
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'could not remember the window position');
    }
  };
  // ---- flush on close: the note held back by the renderer's debounce is saved before we go ----
  const closeGuard = createCloseGuard(async () => {
    if (window.isDestroyed()) return;
    const { outcome } = await services.requestFlush(FLUSH_TIMEOUT_MS);
    logger.info({ outcome }, 'asked the window to save held-back notes before closing');
  });
  window.on('close', (event) => {
    if (!closeGuard.intercept(event, () => window.close())) return;
    rememberBounds();
  });

  // ---- renderer crash or hang: reload; the notes are already in SQLite ----
  const crashes = createCrashPolicy();
  const recover = (why: string) => {
    if (crashes.crashed(Date.now()) === 'give_up') {
      logger.error({ why }, 'the window keeps failing; not reloading again');
      dialog.showErrorBox('Earshot', GAVE_UP_MESSAGE);
      return;
    }
    logger.warn({ why }, 'reloading the window');
    void window.loadURL(`${APP_ORIGIN}/index.html`);
  };
  window.webContents.on('render-process-gone', (_e, details) => {
    if (needsRecovery(details.reason)) recover(`renderer ${details.reason}`);
  });
  let hangTimer: NodeJS.Timeout | null = null;
  window.on('unresponsive', () => {
    hangTimer ??= setTimeout(() => {
      hangTimer = null;
      window.webContents.forcefullyCrashRenderer();
      recover('renderer hung');
    }, HANG_GRACE_MS);
  });
  window.on('responsive', () => {
    if (hangTimer) clearTimeout(hangTimer);
    hangTimer = null;
  });

  // ---- deep links: earshot://customer/<id> from the first launch, a second launch, or macOS ----
  let loaded = false;
  let pendingLink: DeepLink | null = deepLinkFromArgv(process.argv);
  const openLink = (link: DeepLink | null) => {
    if (!link) return;
    if (!loaded) {
      pendingLink = link;
      return;
    }
    window.webContents.send(IPC_EVENT_CHANNEL, { event: 'openCustomer', payload: { customerId: link.customerId } } satisfies IpcEventMessage);
  };
  app.on('second-instance', (_e, argv) => {
    bringToFront();
    openLink(deepLinkFromArgv(argv));
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    bringToFront();
    openLink(parseDeepLink(url));
  });
  window.webContents.on('did-finish-load', () => {
    loaded = true;
    const link = pendingLink;
    pendingLink = null;
    openLink(link);
  });

  // ---- diagnostics, tray, notifications ----
  const saveDiagnostics = async () => {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const { canceled, filePath } = await dialog.showSaveDialog(window, {
      title: 'Export diagnostics',
      defaultPath: path.join(app.getPath('desktop'), `earshot-diagnostics-${stamp}.zip`),
      filters: [{ name: 'Zip archive', extensions: ['zip'] }],
    });
    if (canceled || !filePath) return;
    await exportDiagnostics({
      outFile: filePath,
      logFiles: logger.files(),
      settings: settings.current(),
      policyOrigin: settings.policyOrigin,
      versions: { earshot: readVersion(), electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
    });
  };
  const exportDiagnosticsNow = () =>
    void saveDiagnostics().catch((err: unknown) => dialog.showErrorBox('Export diagnostics', `The diagnostics file could not be written: ${err instanceof Error ? err.message : String(err)}. Choose another folder and try again.`));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'help', submenu: [{ label: 'Export diagnostics…', click: exportDiagnosticsNow }] },
    ]),
  );

  let tray: EarshotTray | null = null;
  try {
    tray = createTray(trayIconsDir, { open: bringToFront, exportDiagnostics: exportDiagnosticsNow, quit: () => app.quit() });
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'no tray icon on this desktop');
  }
  let lastSync: SyncStatus | null = null;
  let ringing = false;
  const showStatus = () => tray?.show(trayStatus({ sync: lastSync, ringing }));
  showStatus();
  services.on('syncStatus', (status) => {
    lastSync = status;
    showStatus();
  });
  services.on('callOffered', ({ call }) => {
    ringing = true;
    showStatus();
    setTimeout(() => {
      ringing = false;
      showStatus();
    }, 30_000).unref();
    window.flashFrame(true);
    if (settings.current().values.callNotifications && Notification.isSupported() && !window.isFocused()) {
      const note = new Notification({ ...callNotification(call), silent: false });
      note.on('click', bringToFront);
      note.show();
    }
  });
  window.on('focus', () => window.flashFrame(false));

  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${APP_ORIGIN}/index.html`);
  if (tlsProblem) void dialog.showMessageBox(window, { type: 'error', title: 'Center connection', message: tlsProblem });
  startUpdater(settings.current().values, logger);
  process.stdout.write('Earshot desktop ready\n');

  // ---- quitting: flush pending writes first ----
  let quitting = false;
  app.on('before-quit', (event) => {
    if (!closeGuard.intercept(event, () => app.quit())) return;
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    rememberBounds();
    void services
      .stop()
      .catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'stopping the services failed'))
      .finally(() => {
        tray?.destroy();
        logger.close();
        app.quit();
      });
  });
  app.on('window-all-closed', () => app.quit());
}

if (primary) {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`Earshot could not start: ${message}`);
    dialog.showErrorBox('Earshot could not start', `${message}\n\nIf this keeps happening, tell IT and include the log folder.`);
    app.exit(1);
  });
}
