import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_RESPONSE_HEADERS, CONTENT_SECURITY_POLICY, externalLinkAllowed, navigationAllowed, permissionAllowed, rendererFile } from './security';

describe('security decisions', () => {
  it('the CSP allows only our own scripts, no eval, no plugins, no framing', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toMatchObject({ 'default-src': "'none'", 'script-src': "'self'", 'object-src': "'none'", 'frame-ancestors': "'none'", 'base-uri': "'none'" });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
    expect(APP_RESPONSE_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('grants notifications to our pages only, and nothing else to anyone', () => {
    expect(permissionAllowed('notifications', 'app://earshot/index.html')).toBe(true);
    expect(permissionAllowed('notifications', 'app://earshot')).toBe(true);
    expect(permissionAllowed('notifications', 'https://evil.example/')).toBe(false);
    expect(permissionAllowed('notifications', undefined)).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'serial', 'fullscreen']) {
      expect(permissionAllowed(p, 'app://earshot/index.html')).toBe(false);
    }
  });

  it('opens only plain https links outside, and navigates only inside the app', () => {
    expect(externalLinkAllowed('https://help.earshot.example/notes')).toBe(true);
    for (const url of ['http://x.example', 'file:///etc/passwd', 'smb://share/x', 'javascript:alert(1)', 'https://u:p@x.example', 'nonsense']) {
      expect(externalLinkAllowed(url)).toBe(false);
    }
    expect(navigationAllowed('app://earshot/index.html#/notes')).toBe(true);
    expect(navigationAllowed('https://earshot.example/')).toBe(false);
  });

  it('serves only files inside the renderer folder', () => {
    const dir = path.resolve('/srv/renderer');
    expect(rendererFile(dir, '/')).toBe(path.join(dir, 'index.html'));
    expect(rendererFile(dir, '/assets/app.js')).toBe(path.join(dir, 'assets/app.js'));
    // Dot segments, plain or encoded, are clamped at the folder's root: never a file outside it.
    expect(rendererFile(dir, '/../secret')).toBe(path.join(dir, 'secret'));
    expect(rendererFile(dir, '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(dir, 'etc/passwd'));
    expect(rendererFile(dir, '/..%2f..%2fetc%2fpasswd')).toBe(path.join(dir, 'etc/passwd'));
    expect(rendererFile(dir, '/%E0%A4%A')).toBeNull();
  });
});
