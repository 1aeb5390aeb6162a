// The options every Earshot window is created with: a pure function of settings, so the security
// posture (Electron's checklist) is visible in one place and tested without Electron.
import path from 'node:path';

export interface WindowSettings {
  bounds?: { x?: number; y?: number; width: number; height: number };
  preloadPath: string;
}

/** Structurally what `new BrowserWindow(options)` takes; kept local so this module never imports electron. */
export interface EarshotWindowOptions {
  x?: number;
  y?: number;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    experimentalFeatures: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    spellcheck: boolean;
  };
}

export const APP_ORIGIN = 'app://earshot';

export function windowOptions(settings: WindowSettings): EarshotWindowOptions {
  const bounds = settings.bounds ?? { width: 1280, height: 800 };
  return {
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: Math.max(bounds.width, 900),
    height: Math.max(bounds.height, 600),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Earshot',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: path.resolve(settings.preloadPath),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  };
}

/** True only for the app's own pages: everything else is refused for navigation and IPC. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}
