import { describe, expect, it } from 'vitest';
import { isAppUrl, placeOnDisplays, windowOptions } from './window';

describe('window options', () => {
  it('follow the Electron security checklist whatever the settings', () => {
    for (const bounds of [undefined, { width: 400, height: 300 }, { x: 10, y: 20, width: 1600, height: 1000 }]) {
      const { webPreferences } = windowOptions({ bounds, preloadPath: 'dist/main/preload/index.cjs' });
      expect(webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      });
    }
  });

  it('remembers bounds but never opens smaller than usable', () => {
    expect(windowOptions({ bounds: { width: 400, height: 300 }, preloadPath: 'p' })).toMatchObject({ width: 900, height: 600 });
    expect(windowOptions({ bounds: { x: 10, y: 20, width: 1600, height: 1000 }, preloadPath: 'p' })).toMatchObject({ x: 10, y: 20, width: 1600 });
  });

  it('accepts only the app origin', () => {
    expect(isAppUrl('app://earshot/index.html')).toBe(true);
    expect(isAppUrl('https://earshot.example/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('app://earshot.evil/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('forgets a remembered position that is on no attached display, keeping the size', () => {
    const laptop = [{ x: 0, y: 0, width: 1920, height: 1040 }];
    const docked = [...laptop, { x: 1920, y: 0, width: 2560, height: 1400 }];
    const onSecond = { x: 2200, y: 100, width: 1400, height: 900 };
    expect(placeOnDisplays(onSecond, docked)).toEqual(onSecond);
    expect(placeOnDisplays(onSecond, laptop)).toEqual({ width: 1400, height: 900 });
    expect(placeOnDisplays({ x: 1850, y: 10, width: 1400, height: 900 }, laptop)).toEqual({ width: 1400, height: 900 });
    expect(placeOnDisplays(null, laptop)).toBeUndefined();
  });
});
