// The shell's security decisions as pure functions (Electron's security checklist): the content
// security policy, which permissions a page may have, where a link may go. main.ts wires them in.
import path from 'node:path';
import { isAppUrl } from './window';

/** Strict CSP for app:// pages: our own scripts only, no eval, no plugins, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'", // React's style attributes; no script can come through it
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every app:// response carries, the CSP among them (the meta tag alone can be bypassed by a frame). */
export const APP_RESPONSE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/** Only notifications, and only for our own pages; camera, microphone, geolocation and the rest are refused. */
const ALLOWED_PERMISSIONS = new Set(['notifications']);

export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

/** Links the agent clicks open in the system browser only when they are plain https. */
export function externalLinkAllowed(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}

/** Navigation inside the window: only within the app. */
export const navigationAllowed = (url: string): boolean => isAppUrl(url);

/** Resolves an app:// path inside the renderer folder, or null when it would step outside it. */
export function rendererFile(rendererDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  const file = path.resolve(rendererDir, `.${path.posix.normalize(decoded)}`);
  return file.startsWith(rendererDir + path.sep) ? file : null;
}
