// getSettings / setSetting through the one DesktopApi door, over real policy and settings files.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopApiHandlers } from '../../../shared/api/index';
import { centerUrlProblem, DesktopSettings, POLICY_KEYS, USER_EDITABLE_KEYS, UserSettingChange } from '../../../shared/api/settings';
import { dispatchApiCall } from '../api-dispatch';
import { createSettingsHandlers, describeSettings } from './api';
import { chooseCenterUrl, loadSettings, USER_SETTINGS_FILE } from './index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'earshot-settings-api-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A macOS managed-preferences plist: a real policy file any user can write in a test. */
function macPolicy(entries: string): string {
  const file = path.join(dir, 'com.earshot.desktop.plist');
  writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>${entries}</dict></plist>`);
  return file;
}

async function door(policyEntries = '') {
  const settings = await loadSettings({ userDataDir: dir, platform: 'darwin', policy: { macFile: macPolicy(policyEntries) } });
  // Only the two settings methods exist here; the door looks a method up by name.
  const handlers = createSettingsHandlers({ settings, userDataDir: dir }) as unknown as DesktopApiHandlers;
  return { settings, call: (method: string, args: unknown) => dispatchApiCall(handlers, method, args) };
}

const userFile = () => path.join(dir, USER_SETTINGS_FILE);

describe('settings through the DesktopApi', () => {
  it('answers every shown key with its value, source and lock', async () => {
    writeFileSync(userFile(), JSON.stringify({ schemaVersion: 1, language: 'ko' }));
    const { call } = await door('<key>centerUrl</key><string>https://center.corp.example</string><key>updateMode</key><string>none</string>');
    const response = await call('getSettings', []);
    expect(response.ok).toBe(true);
    const view = DesktopSettings.parse(response.ok ? response.value : null);
    expect(Object.keys(view.settings).sort()).toEqual([...POLICY_KEYS].sort());
    expect(view.settings.centerUrl).toEqual({ value: 'https://center.corp.example', source: 'policy', locked: true, editable: false });
    expect(view.settings.updateMode).toMatchObject({ value: 'none', source: 'policy', locked: true });
    expect(view.settings.language).toEqual({ value: 'ko', source: 'user', locked: false, editable: true });
    expect(view.settings.callNotifications).toEqual({ value: true, source: 'default', locked: false, editable: true });
    // Not user-editable even when unlocked: what the desktop trusts is IT's to set.
    expect(view.settings.caBundlePath).toMatchObject({ locked: false, editable: false });
    expect(view.policyOrigin).toMatch(/com\.earshot\.desktop\.plist$/);
  });

  it('saves a user key to the settings file, and the next load reads it back', async () => {
    const { call } = await door();
    const response = await call('setSetting', [{ key: 'callNotifications', value: false }]);
    expect(response).toMatchObject({ ok: true, value: { settings: { callNotifications: { value: false, source: 'user' } } } });
    expect(JSON.parse(readFileSync(userFile(), 'utf8'))).toMatchObject({ schemaVersion: 1, callNotifications: false });
    const again = await loadSettings({ userDataDir: dir, platform: 'darwin', policy: { macFile: path.join(dir, 'none.plist') } });
    expect(describeSettings(again).settings.callNotifications).toMatchObject({ value: false, source: 'user' });
  });

  it('refuses a key IT locked, with a clear error, and writes nothing', async () => {
    const { call, settings } = await door('<key>language</key><string>en</string>');
    const response = await call('setSetting', [{ key: 'language', value: 'ko' }]);
    expect(response).toMatchObject({ ok: false, error: { code: 'setting_locked' } });
    expect(!response.ok && response.error.message).toMatch(/language is set by your IT department/);
    expect(existsSync(userFile())).toBe(false);
    expect(settings.current().values.language).toBe('en');
  });

  it('refuses an invalid value or a key the agent may not change, naming the problem, and writes nothing', async () => {
    const { call } = await door();
    const cases: Array<[unknown, RegExp]> = [
      [{ key: 'centerUrl', value: 'ftp://center.example' }, /value/],
      [{ key: 'centerUrl', value: 'not a url' }, /value/],
      [{ key: 'language', value: 'fr' }, /value/],
      [{ key: 'tenant', value: '' }, /value/],
      [{ key: 'caBundlePath', value: '/tmp/evil.pem' }, /key/],
      [{ key: 'updateFeedUrl', value: 'https://evil.example/feed' }, /key/],
      [{ key: 'windowBounds', value: null }, /key/],
      [{ key: 'language', value: 'ko', extra: 1 }, /Unrecognized key|extra/],
    ];
    for (const [change, why] of cases) {
      const response = await call('setSetting', [change]);
      expect(response, JSON.stringify(change)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(!response.ok && response.error.message, JSON.stringify(change)).toMatch(why);
    }
    expect(existsSync(userFile())).toBe(false);
  });

  it('without a shell-given service, reads the settings file in the data directory on first use', async () => {
    writeFileSync(userFile(), JSON.stringify({ schemaVersion: 1, tenant: 'acme' }));
    const handlers = createSettingsHandlers({ userDataDir: dir });
    const view = await handlers.getSettings();
    expect(view.settings.tenant).toMatchObject({ value: 'acme', source: 'user' });
    await handlers.setSetting({ key: 'tenant', value: 'globex' });
    expect(JSON.parse(readFileSync(userFile(), 'utf8')).tenant).toBe('globex');
  });

  it('the contract lets through exactly the user-editable keys', () => {
    for (const key of USER_EDITABLE_KEYS) {
      expect(UserSettingChange.options.some((o) => o.shape.key.value === key), key).toBe(true);
    }
    expect(UserSettingChange.options).toHaveLength(USER_EDITABLE_KEYS.length);
  });
});

describe('an installed Earshot: where it connects, what it trusts and where it updates from are IT\'s', () => {
  async function installed(installerEntries: object | null, policyEntries = '') {
    const installerFile = path.join(dir, 'installer-settings.json');
    if (installerEntries) writeFileSync(installerFile, JSON.stringify(installerEntries));
    const settings = await loadSettings({ userDataDir: dir, platform: 'darwin', policy: { macFile: macPolicy(policyEntries) }, installed: { installerFile } });
    const handlers = createSettingsHandlers({ settings, userDataDir: dir }) as unknown as DesktopApiHandlers;
    return { settings, call: (method: string, args: unknown) => dispatchApiCall(handlers, method, args) };
  }

  it("ignores the agent's own file for the center, feed and CA bundle, takes the installer's, and policy over both", async () => {
    writeFileSync(userFile(), JSON.stringify({ schemaVersion: 1, centerUrl: 'https://evil.example', updateFeedUrl: 'https://evil.example/feed', caBundlePath: '/tmp/evil.pem', language: 'ko' }));
    const { settings, call } = await installed({ centerUrl: 'https://center.corp.example', updateFeedUrl: 'https://updates.corp.example/earshot' }, '<key>caBundlePath</key><string>/etc/corp-ca.pem</string>');
    expect(settings.current().values).toMatchObject({
      centerUrl: 'https://center.corp.example',
      updateFeedUrl: 'https://updates.corp.example/earshot',
      caBundlePath: '/etc/corp-ca.pem',
      language: 'ko',
    });
    expect(settings.current().source).toMatchObject({ centerUrl: 'installer', updateFeedUrl: 'installer', caBundlePath: 'policy', language: 'user' });
    expect(settings.current().problems.join('\n')).toMatch(/'centerUrl' is ignored in an installed Earshot/);
    // The Settings page shows them, locked; changing one is refused and writes nothing.
    const view = DesktopSettings.parse(((await call('getSettings', [])) as { value: unknown }).value);
    expect(view.settings.centerUrl).toMatchObject({ value: 'https://center.corp.example', locked: true, editable: false });
    expect(view.settings.language).toMatchObject({ editable: true });
    const refused = await call('setSetting', [{ key: 'centerUrl', value: 'https://other.example' }]);
    expect(refused).toMatchObject({ ok: false, error: { code: 'setting_locked' } });
    expect(JSON.parse(readFileSync(userFile(), 'utf8')).centerUrl).toBe('https://evil.example'); // untouched, and unused
  });

  it('refuses an http:// update feed and a center over http:// except this computer, from any source', async () => {
    const { settings } = await installed({ centerUrl: 'http://center.corp.example', updateFeedUrl: 'http://updates.corp.example/earshot' });
    expect(settings.current().values.updateFeedUrl).toBeNull();
    expect(settings.current().values.centerUrl).toBe('http://127.0.0.1:4000'); // the default, on this computer
    expect(settings.current().problems.join('\n')).toMatch(/updateFeedUrl.*https:\/\//);
    const dev = await door('<key>centerUrl</key><string>http://10.1.2.3:4000</string>');
    expect(dev.settings.current().source.centerUrl).toBe('default');
    for (const ok of ['https://center.corp.example', 'http://127.0.0.1:4000', 'http://localhost:4000', 'http://[::1]:4000']) expect(centerUrlProblem(ok), ok).toBeNull();
    for (const bad of ['http://10.1.2.3:4000', 'http://center.corp.example', 'ftp://center.corp.example']) expect(centerUrlProblem(bad), bad).not.toBeNull();
    expect(() => chooseCenterUrl(dev.settings.current(), 'http://192.0.2.7:4000')).toThrow(/must start with https:\/\//);
  });
});

describe('which center', () => {
  it('a launch URL wins over the agent’s setting but yields to policy', async () => {
    const { settings } = await door();
    expect(chooseCenterUrl(settings.current(), 'http://127.0.0.1:7000')).toEqual({ centerUrl: 'http://127.0.0.1:7000', overrideIgnored: false });
    expect(chooseCenterUrl(settings.current(), undefined).centerUrl).toBe(settings.current().values.centerUrl);
    const locked = await door('<key>centerUrl</key><string>https://center.corp.example</string>');
    expect(chooseCenterUrl(locked.settings.current(), 'http://127.0.0.1:7000')).toEqual({ centerUrl: 'https://center.corp.example', overrideIgnored: true });
  });
});
