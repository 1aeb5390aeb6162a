// The preload: exposes `window.earshot` (the DesktopApi) and nothing else. Method and event names
// are allowlisted from the contract; arguments are validated again in the main process.
import { contextBridge, ipcRenderer } from 'electron';
import { desktopApiEvents, desktopApiMethods, type DesktopApi } from '../../shared/api/index';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type IpcEventMessage } from '../../shared/api/ipc';

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const api: DesktopApi = {
  invoke(method, ...args) {
    if (!has(desktopApiMethods, method)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `There is no desktop method named '${String(method)}'.` } });
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args);
  },
  on(event, listener) {
    if (!has(desktopApiEvents, event)) throw new Error(`There is no desktop event named '${String(event)}'.`);
    const handler = (_e: unknown, message: IpcEventMessage) => {
      if (message?.event === event) listener(message.payload as never);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('earshot', api);
