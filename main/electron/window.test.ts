import { describe, expect, it } from 'vitest';
import { isAppUrl, windowOptions } from './window';

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
});
