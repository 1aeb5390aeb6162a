// The language switch: changes the UI language at once and remembers the choice on this computer.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../app/store';
import { FakeDesktopApi } from '../../test-support/fake-desktop-api';
import { stopRenderedApps } from '../../test-support/render-app';
import { LanguageSwitch } from './LanguageSwitch';
import { LOCALE_STORAGE_KEY } from './settings-listeners';

const stops: Array<() => void> = [];
afterEach(() => {
  stopRenderedApps();
  while (stops.length) stops.pop()?.();
  window.localStorage.clear();
});

describe('language switch', () => {
  it('switches to Korean and remembers it', async () => {
    const app = createAppStore(new FakeDesktopApi(), { locale: 'en', storage: window.localStorage });
    stops.push(app.stop);
    render(
      <Provider store={app.store}>
        <LanguageSwitch />
      </Provider>,
    );
    const select = screen.getByRole('combobox', { name: 'Language' });
    await userEvent.setup().selectOptions(select, 'ko');
    expect(app.store.getState().locale.current).toBe('ko');
    expect(window.localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('ko');
    // The label itself is now Korean.
    expect(screen.getByRole('combobox', { name: '언어' })).toBeTruthy();
  });
});
