// An agent with two desktop windows is still connected when one of them closes.
import { describe, expect, it } from 'vitest';
import { createConnectedDesktops } from './connected-desktops';

describe('connected desktops', () => {
  it("reports only the user's last window closing", () => {
    const d = createConnectedDesktops();
    d.connected('u-1', 's1');
    d.connected('u-1', 's1b'); // a second window of the same agent
    d.connected('u-2', 's2');
    expect(d.disconnected('u-1', 's1')).toBe(false);
    expect(d.isConnected('u-1')).toBe(true);
    expect(d.disconnected('u-1', 's1b')).toBe(true);
    expect(d.isConnected('u-1')).toBe(false);
    expect(d.isConnected('u-2')).toBe(true);
  });

  it('ignores a socket it never saw, and a second disconnect of the same socket', () => {
    const d = createConnectedDesktops();
    expect(d.disconnected('nobody', 's9')).toBe(false);
    d.connected('u-1', 's1');
    expect(d.disconnected('u-1', 's1')).toBe(true);
    expect(d.disconnected('u-1', 's1')).toBe(false);
  });
});
