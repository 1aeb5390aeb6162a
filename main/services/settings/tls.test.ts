import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { CaBundleError, centerTlsOptions, trustCenterCa } from './tls';

const corpCa = tls.rootCertificates[0] ?? '';

describe('centerTlsOptions', () => {
  it('never turns certificate checks off, with or without a bundle', () => {
    expect(centerTlsOptions({ caBundlePath: null })).toEqual({ rejectUnauthorized: true });
  });

  it('trusts the bundle in addition to the public roots', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'earshot-ca-'));
    try {
      const file = path.join(dir, 'corp.pem');
      writeFileSync(file, `# corporate CA\n${corpCa}\n`);
      const opts = centerTlsOptions({ caBundlePath: file });
      expect(opts.rejectUnauthorized).toBe(true);
      expect(opts.ca).toHaveLength(tls.rootCertificates.length + 1);
      expect(opts.ca?.at(-1)).toBe(corpCa.trim());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says plainly when the bundle is missing or not PEM', () => {
    expect(() => centerTlsOptions({ caBundlePath: '/nonexistent/ca.pem' })).toThrow(CaBundleError);
    expect(() => centerTlsOptions({ caBundlePath: '/nonexistent/ca.pem' })).toThrow(/cannot be read \(ENOENT\)\. Ask IT/);
    expect(() => centerTlsOptions({ caBundlePath: 'x.pem' }, () => 'not a cert')).toThrow(/holds no PEM certificate/);
  });
});

describe('a center with a company CA (real TLS on 127.0.0.1)', () => {
  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!hasOpenssl)('is refused until the CA bundle is trusted, then accepted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'earshot-tlsca-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=Earshot Test CA', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('center'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = () =>
      new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port, path: '/', agent: https.globalAgent }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
    try {
      await expect(get()).rejects.toThrow(/self-signed|unable to verify/i);
      const opts = centerTlsOptions({ caBundlePath: cert });
      expect(['default-ca-store', 'https-global-agent']).toContain(trustCenterCa(opts));
      https.globalAgent.destroy();
      expect(await get()).toBe('center');
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
