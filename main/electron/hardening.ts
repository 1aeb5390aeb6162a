// Electron's security checklist, applied once for the whole app: permissions, navigation, new
// windows, <webview>, and certificate errors (refused, and said so plainly — never bypassed).
import { app, dialog, shell, type Session } from 'electron';
import { describeCertificateError } from '../services/settings/index';
import { externalLinkAllowed, navigationAllowed, permissionAllowed } from './security';

export interface HardeningLogger {
  warn(obj: object, msg?: string): void;
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
}

export function hardenAllWebContents(logger: HardeningLogger): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!navigationAllowed(url)) {
        event.preventDefault();
        logger.warn({ protocol: safeProtocol(url) }, 'refused a navigation away from the app');
      }
    });
    contents.on('will-redirect', (event, url) => {
      if (!navigationAllowed(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // No new Electron windows ever; plain https links go to the system browser.
      if (externalLinkAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  app.on('certificate-error', (event, _contents, url, error, _certificate, callback) => {
    event.preventDefault();
    callback(false);
    const host = safeHost(url);
    logger.warn({ host, error }, 'refused a connection with an untrusted certificate');
    void dialog.showMessageBox({ type: 'error', title: 'Untrusted certificate', message: describeCertificateError(host, error) });
  });
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'invalid';
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unknown host';
  }
}
