// `npm run dist` signs from the build machine's environment and refuses to build unsigned Windows or
// macOS installers unless asked for a test build (scripts/signing.mjs).
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { signingPlan, targetsOf } from '../../scripts/signing.mjs';

type Plan = { problems: string[]; args: string[]; env: Record<string, string> };
const plan = (targets: string[], env: Record<string, string>, unsigned = false) => signingPlan({ targets, env, unsigned }) as Plan;

describe('signing plan', () => {
  it('reads the targets from the command line, else this machine', () => {
    expect(targetsOf(['--win', '--linux'])).toEqual(['win', 'linux']);
    expect(targetsOf([], 'darwin')).toEqual(['mac']);
    expect(targetsOf(['dir'], 'linux')).toEqual(['linux']);
  });

  it('refuses unsigned Windows and macOS builds, saying which variables to set', () => {
    const win = plan(['win'], {});
    expect(win.problems.join()).toMatch(/WIN_CSC_LINK.*WIN_CSC_KEY_PASSWORD.*EARSHOT_WIN_PUBLISHER.*--unsigned/);
    const mac = plan(['mac'], {});
    expect(mac.problems).toHaveLength(2);
    expect(mac.problems.join()).toMatch(/CSC_LINK.*notarised.*APPLE_API_KEY/s);
    expect(plan(['linux'], {})).toEqual({ problems: [], args: [], env: {} });
  });

  it('passes the publisher name from the environment into the build, and nothing when the certificate names it', () => {
    expect(plan(['win'], { WIN_CSC_LINK: '/secure/cert.pfx', WIN_CSC_KEY_PASSWORD: 'x' })).toEqual({ problems: [], args: [], env: {} });
    expect(plan(['win'], { EARSHOT_WIN_PUBLISHER: 'Acme Contact Centers Ltd' }).args).toEqual(['-c.win.signtoolOptions.publisherName=Acme Contact Centers Ltd']);
    expect(plan(['mac'], { CSC_NAME: 'Developer ID Application: Acme', APPLE_API_KEY: 'k', APPLE_API_KEY_ID: 'i', APPLE_API_ISSUER: 'u' }).problems).toEqual([]);
  });

  it('builds a test installer on request, one that accepts no update', () => {
    const test = plan(['win', 'mac'], {}, true);
    expect(test.problems).toEqual([]);
    expect(test.args).toEqual(['-c.win.signtoolOptions.publisherName=Unsigned Earshot test build (accepts no update)', '-c.mac.notarize=false']);
    expect(test.env).toEqual({ CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
  });
});
