// Electron's main process: one window serving the renderer from app://earshot, the desktop services
// in-process, IPC through registerApi. Everything that is not Electron glue lives in main/services.
import { app, BrowserWindow, net, protocol, session, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createDesktopServices } from '../services/index';
import { registerApi } from './ipc';
import { APP_ORIGIN, isAppUrl, windowOptions } from './window';

const here = import.meta.dirname; // dist/main/electron
const rendererDir = path.resolve(here, '../../renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

function parseSignIn(value: string | undefined) {
  if (!value) return undefined;
  const [tenant, username, ...password] = value.split(':');
  return tenant && username && password.length ? { tenant, username, password: password.join(':') } : undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'center-url': { type: 'string' }, 'data-dir': { type: 'string' } }, allowPositionals: true, strict: false });
  const centerUrl = (values['center-url'] as string | undefined) ?? process.env.EARSHOT_CENTER_URL ?? 'http://127.0.0.1:4000';
  const dataDir = (values['data-dir'] as string | undefined) ?? app.getPath('userData');
  const logger = pino({ level: process.env.EARSHOT_LOG_LEVEL ?? 'info' });

  await app.whenReady();
  app.setAppUserModelId('com.earshot.desktop');

  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    const file = path.resolve(rendererDir, `.${decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)}`);
    if (!file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));

  const services = createDesktopServices({ dataDir, centerUrl, autoSignIn: parseSignIn(process.env.EARSHOT_SIGNIN), logger });
  await services.start();

  const window = new BrowserWindow(windowOptions({ preloadPath: path.resolve(here, '../preload/index.cjs') }));
  registerApi(services, window);
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${APP_ORIGIN}/index.html`);
  services.on('callOffered', () => {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  process.stdout.write('Earshot desktop ready\n');

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Flush pending writes before the process goes away.
    event.preventDefault();
    quitting = true;
    void services.stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
}

main().catch((err: unknown) => {
  console.error(`Earshot could not start: ${err instanceof Error ? err.message : String(err)}`);
  app.exit(1);
});
