// app://earshot: the renderer is served from a custom protocol, not file:// (which would grant the
// page every file on disk as its origin), with the strict CSP as a response header.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_RESPONSE_HEADERS, rendererFile } from './security';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveApp(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'earshot' ? rendererFile(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404, headers: APP_RESPONSE_HEADERS });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(APP_RESPONSE_HEADERS);
    const type = res.headers.get('content-type');
    if (type) headers.set('Content-Type', type);
    return new Response(res.body, { status: res.status, headers });
  });
}
