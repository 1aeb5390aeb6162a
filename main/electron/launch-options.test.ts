// A packaged build takes no data folder, center or sign-in from its command line or environment.
import { describe, expect, it } from 'vitest';
import { launchOverrides } from './launch-options';

const cli = { 'data-dir': '/tmp/someone-else', 'center-url': 'http://evil.example' };
const env = { EARSHOT_SIGNIN: 'demo:agent1:demo', EARSHOT_CENTER_URL: 'http://also-evil.example' };

describe('launch overrides', () => {
  it('are honoured in development (the demo launcher and tests)', () => {
    expect(launchOverrides({ packaged: false, cli, env })).toEqual({
      dataDir: '/tmp/someone-else',
      centerUrl: 'http://evil.example',
      signIn: { tenant: 'demo', username: 'agent1', password: 'demo' },
      ignored: [],
    });
    expect(launchOverrides({ packaged: false, cli: {}, env: { EARSHOT_CENTER_URL: 'http://c' } }).centerUrl).toBe('http://c');
    expect(launchOverrides({ packaged: false, cli: {}, env: { EARSHOT_SIGNIN: 'no-colons' } }).signIn).toBeUndefined();
  });

  it('are all refused in a packaged build, and named (never their values) for the log', () => {
    const r = launchOverrides({ packaged: true, cli, env });
    expect(r).toEqual({ ignored: ['--data-dir', '--center-url / EARSHOT_CENTER_URL', 'EARSHOT_SIGNIN'] });
    expect(JSON.stringify(r)).not.toMatch(/evil|agent1/);
    expect(launchOverrides({ packaged: true, cli: {}, env: {} })).toEqual({ ignored: [] });
  });
});
