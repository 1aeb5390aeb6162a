// TLS for the center connection: a CA bundle set by policy is trusted IN ADDITION to the public
// roots (a company's own CA for an internal center), and certificate checks are never turned off.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import type { Settings } from './schema';

/** What both `new https.Agent(...)` and socket.io-client's `io(url, {...})` accept. */
export interface CenterTlsOptions {
  ca?: string[];
  rejectUnauthorized: true;
}

export class CaBundleError extends Error {}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function centerTlsOptions(
  settings: Pick<Settings, 'caBundlePath'>,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): CenterTlsOptions {
  if (!settings.caBundlePath) return { rejectUnauthorized: true };
  let pem: string;
  try {
    pem = readFile(settings.caBundlePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new CaBundleError(
      `The CA bundle ${settings.caBundlePath} (setting caBundlePath) cannot be read (${code}). Ask IT to install it or correct the path; the center connection stays closed until then.`,
    );
  }
  const certificates = pem.match(PEM_CERT) ?? [];
  if (certificates.length === 0) {
    throw new CaBundleError(
      `The CA bundle ${settings.caBundlePath} (setting caBundlePath) holds no PEM certificate. Ask IT to supply it in PEM form (-----BEGIN CERTIFICATE-----).`,
    );
  }
  return { ca: [...tls.rootCertificates, ...certificates], rejectUnauthorized: true };
}

/** A certificate error the agent reads: what happened and what to do, never "click to continue". */
export function describeCertificateError(host: string, error: string): string {
  return (
    `Earshot refused the connection to ${host}: its certificate is not trusted (${error}). ` +
    'Nothing was sent. Tell IT: the center needs a valid certificate, or its CA must be set as caBundlePath by policy.'
  );
}

/**
 * Makes the CA bundle trusted process-wide, for connections that do not take options (the login
 * `fetch`, socket.io's WebSocket). Node 22.15+ (Electron 45) replaces the default CA store, which
 * every TLS client uses; older Node only has the https global agent to set. Returns which was used.
 */
export function trustCenterCa(options: CenterTlsOptions): 'default-ca-store' | 'https-global-agent' | 'none' {
  if (!options.ca) return 'none';
  const setDefault = (tls as { setDefaultCACertificates?: (certs: string[]) => void }).setDefaultCACertificates;
  if (typeof setDefault === 'function') {
    setDefault(options.ca);
    return 'default-ca-store';
  }
  https.globalAgent.options.ca = options.ca;
  return 'https-global-agent';
}
