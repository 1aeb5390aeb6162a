// The options every Earshot window is created with: a pure function of settings, so the security
// posture (Electron's checklist) is visible in one place and tested without Electron.
import path from 'node:path';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export interface WindowSettings {
  bounds?: WindowBounds | null;
  preloadPath: string;
}

type Rect = { x: number; y: number; width: number; height: number };

/**
 * Remembered bounds, kept only if the window's top strip (where the title bar is) would land on a
 * display that is attached now; otherwise the size is kept and the OS places the window. A laptop
 * undocked from its second monitor must not open Earshot off screen.
 */
export function placeOnDisplays(bounds: WindowBounds | null | undefined, workAreas: readonly Rect[]): WindowBounds | undefined {
  if (!bounds) return undefined;
  const { x, y, width, height } = bounds;
  if (x === undefined || y === undefined) return { width, height };
  const strip = { x, y, width, height: Math.min(height, 40) };
  const visible = workAreas.some((a) => {
    const w = Math.min(strip.x + strip.width, a.x + a.width) - Math.max(strip.x, a.x);
    const h = Math.min(strip.y + strip.height, a.y + a.height) - Math.max(strip.y, a.y);
    return w >= 100 && h >= 20;
  });
  return visible ? { x, y, width, height } : { width, height };
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
