// Registers the DesktopApi on Electron IPC. The sender is checked (our app origin, the main frame)
// before anything else; then the same dispatch as web mode parses arguments with the contract.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { desktopApiEvents, type DesktopApiEvent } from '../../shared/api/index';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type IpcEventMessage } from '../../shared/api/ipc';
import { dispatchApiCall } from '../services/api-dispatch';
import type { DesktopServices } from '../services/index';
import { isAppUrl } from './window';

/** Only our window's main frame, showing our own page, may call: not a sub-frame, not another window. */
function trustedSender(event: IpcMainInvokeEvent, window: BrowserWindow): boolean {
  const frame = event.senderFrame;
  return !window.isDestroyed() && event.sender === window.webContents && frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function registerApi(services: DesktopServices, window: BrowserWindow): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, args: unknown) => {
    if (!trustedSender(event, window)) {
      return { ok: false, error: { code: 'forbidden', message: 'This frame may not call the desktop.' } };
    }
    return dispatchApiCall(services.handlers, method, args);
  });
  const unsubscribe = (Object.keys(desktopApiEvents) as DesktopApiEvent[]).map((name) =>
    services.on(name, (payload) => {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, { event: name, payload } satisfies IpcEventMessage);
    }),
  );
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe.forEach((off) => off());
  };
}
