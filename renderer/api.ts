// The one file that touches window.earshot: the Electron preload's DesktopApi when it exists,
// otherwise (web mode) the WebSocket bridge to the web host. Either way, contract-checked.
import type { DesktopApi } from '../shared/api/index';
import { WEB_BRIDGE_PATH } from '../shared/api/web-bridge';
import { withContractCheck } from './contract-check';
import { bridgeUrl, createWebBridge } from './web-bridge-client';

declare global {
  interface Window {
    /** Defined by the Electron preload (contextBridge); absent in web mode. */
    earshot?: DesktopApi;
  }
}

let desktopApi: DesktopApi | null = null;

export interface DesktopApiOptions {
  /** Web mode only: the bridge reconnected after a drop, so events may have been missed. */
  onReconnect?: () => void;
}

export function getDesktopApi(options: DesktopApiOptions = {}): DesktopApi {
  if (desktopApi) return desktopApi;
  const transport =
    window.earshot ?? createWebBridge({ url: bridgeUrl(window.location, WEB_BRIDGE_PATH), onReconnect: options.onReconnect });
  desktopApi = withContractCheck(transport);
  return desktopApi;
}
