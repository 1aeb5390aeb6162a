// The preload: exposes `window.earshot` (the DesktopApi) and nothing else. Method and event names
// are allowlisted from the contract; arguments are validated again in the main process.
import { contextBridge, ipcRenderer } from 'electron';
import { desktopApiEvents, desktopApiMethods, type DesktopApi } from '../../shared/api/index';

const INVOKE_CHANNEL = 'earshot:invoke';
const EVENT_CHANNEL = 'earshot:event';
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const api: DesktopApi = {
  invoke(method, ...args) {
    if (!has(desktopApiMethods, method)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `There is no desktop method named '${String(method)}'.` } });
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, args);
  },
  on(event, listener) {
    if (!has(desktopApiEvents, event)) throw new Error(`There is no desktop event named '${String(event)}'.`);
    const handler = (_e: unknown, message: { event: string; payload: unknown }) => {
      if (message?.event === event) listener(message.payload as never);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('earshot', api);
