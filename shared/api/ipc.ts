// Electron's transport for the DesktopApi (web mode's is web-bridge.ts): the two IPC channels the
// preload and the main process share. A call goes out on the invoke channel as (method, args) and
// resolves to an ApiResponse; every event comes back on the event channel as an IpcEventMessage.
export const IPC_INVOKE_CHANNEL = 'earshot:invoke';
export const IPC_EVENT_CHANNEL = 'earshot:event';

/** What travels on IPC_EVENT_CHANNEL: the event's name (a DesktopApiEvent) and its payload. */
export interface IpcEventMessage {
  event: string;
  payload: unknown;
}
