// The settings page against the desktop's real settings service: a real policy file, the agent's
// real settings file on disk, and the same DesktopApi door Electron and web mode use.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResponse, DesktopApi } from '../../../shared/api/index';
import { openSettingsDoor, SETTINGS_METHODS, type SettingsDoor } from '../../../tests/support/settings-door';
import { TopBar } from '../../app/TopBar';
import { createAppStore } from '../../app/store';
import type { Locale } from '../../i18n/index';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

/** The renderer's fake for everything but settings, which go to the real door. */
function desktopWith(door: SettingsDoor): DesktopApi {
  const fake = new FakeDesktopApi();
  return {
    invoke: ((method: string, ...args: unknown[]) =>
      (SETTINGS_METHODS as readonly string[]).includes(method)
        ? door.invoke(method, args)
        : (fake.invoke as (m: string, ...a: unknown[]) => Promise<ApiResponse<unknown>>)(method, ...args)) as DesktopApi['invoke'],
    on: (event, listener) => fake.on(event, listener),
  };
}

async function showSettings(door: SettingsDoor, locale: Locale = 'en') {
  const app = createAppStore(desktopWith(door), { locale });
  const view = render(
    <Provider store={app.store}>
      <TopBar />
    </Provider>,
  );
  cleanups.push(() => {
    view.unmount();
    app.stop();
  });
  const user = userEvent.setup();
  await user.click(screen.getByRole('button', { name: locale === 'en' ? 'Settings' : '설정' }));
  const dialog = await screen.findByTestId('settings-dialog');
  // Wait for the desktop's answer (the rows render once it is in).
  await within(dialog).findByRole('checkbox');
  return { app, user, dialog };
}

const onDisk = (door: SettingsDoor) => door.onDisk();

/** Colour contrast needs real layout: left to the Chromium end-to-end run, as in app/accessibility.test.tsx. */
async function axeViolations(): Promise<string[]> {
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('settings page', () => {
  it('shows a key IT set by policy as locked, and it cannot be changed', async () => {
    const door = await openSettingsDoor({ language: 'ko', callNotifications: false });
    cleanups.push(door.remove);
    const { app, dialog } = await showSettings(door);
    expect(screen.getByRole('dialog', { name: '설정' })).toBe(dialog);

    // The policy's language is applied to the whole UI (Korean), and both keys are locked.
    await waitFor(() => expect(app.store.getState().locale.current).toBe('ko'));
    const language = within(dialog).getByRole('combobox', { name: '언어', description: /IT 부서에서 설정함/ }) as HTMLSelectElement;
    expect(language.disabled).toBe(true);
    expect(language.value).toBe('ko');
    const notify = within(dialog).getByRole('checkbox', { name: '전화가 오면 알림 표시', description: /IT 부서에서 설정함/ }) as HTMLInputElement;
    expect(notify.disabled).toBe(true);
    expect(notify.checked).toBe(false);
    expect(await axeViolations()).toEqual([]);
    // The agent bar's language switch is the same setting: locked too.
    expect((screen.getByTestId('language-switch') as HTMLSelectElement).disabled).toBe(true);
    // Unlocked keys are not marked.
    const center = within(dialog).getByRole('textbox', { name: 'Earshot 센터 주소' }) as HTMLInputElement;
    expect(center.disabled).toBe(false);
    expect(center.getAttribute('aria-describedby') ?? '').not.toMatch(/locked/);

    // Even a change that gets past the disabled control (a stale page) is refused by the desktop.
    app.store.dispatch({ type: 'settings/changeRequested', payload: { key: 'callNotifications', value: true } });
    expect(await within(dialog).findByRole('alert')).toHaveProperty('textContent', expect.stringMatching(/set by your IT department/));
    expect(onDisk(door)).toBeNull();
    expect(notify.checked).toBe(false);
  });

  it('saves the agent’s own change to the settings file, and the next start reads it back', async () => {
    const door = await openSettingsDoor();
    cleanups.push(door.remove);
    const { user, dialog } = await showSettings(door);

    const notify = within(dialog).getByRole('checkbox', { name: 'Show a notification when a call comes in' }) as HTMLInputElement;
    expect(notify.checked).toBe(true);
    expect(notify.getAttribute('aria-describedby')).toBeNull();
    expect(await axeViolations()).toEqual([]);
    await user.click(notify);
    await within(dialog).findByText('Saved.');
    expect(notify.checked).toBe(false);
    expect(onDisk(door)).toMatchObject({ callNotifications: false, schemaVersion: 1 });

    // A bad center address is refused before it leaves the page; a good one is saved for the next start.
    const center = within(dialog).getByRole('textbox', { name: 'Earshot center address', description: /next time Earshot starts/ });
    await user.clear(center);
    await user.type(center, 'center.corp.example{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveProperty('textContent', expect.stringMatching(/starts with https:\/\//));
    expect(onDisk(door)?.centerUrl).toBeUndefined();
    // http:// over the network would carry passwords in clear: refused too (this computer's is fine).
    await user.clear(center);
    await user.type(center, 'http://10.0.0.5:4000{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveProperty('textContent', expect.stringMatching(/http:\/\/ only for a center on this computer/));
    expect(onDisk(door)?.centerUrl).toBeUndefined();
    await user.clear(center);
    await user.type(center, 'https://center.corp.example{Enter}');
    await waitFor(() => expect(onDisk(door)?.centerUrl).toBe('https://center.corp.example'));

    // The next start: a fresh service over the same files, a fresh page.
    cleanups.pop()?.();
    const next = await showSettings(await door.reopen());
    expect((within(next.dialog).getByRole('checkbox', { name: 'Show a notification when a call comes in' }) as HTMLInputElement).checked).toBe(false);
    expect((within(next.dialog).getByRole('textbox', { name: 'Earshot center address' }) as HTMLInputElement).value).toBe('https://center.corp.example');
  });

  it('choosing a language in the agent bar is kept as the agent’s setting', async () => {
    const door = await openSettingsDoor();
    cleanups.push(door.remove);
    const { user, app } = await showSettings(door);
    await user.selectOptions(screen.getByTestId('language-switch'), 'ko');
    expect(app.store.getState().locale.current).toBe('ko');
    await waitFor(() => expect(onDisk(door)?.language).toBe('ko'));
  });
});
