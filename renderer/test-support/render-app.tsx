// Renders the whole agent view around a FakeDesktopApi, the way main.tsx does around the real one.
import { cleanup, render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'react-redux';
import { App } from '../app/App';
import { createAppStore } from '../app/store';
import type { AppTiming } from '../app/listener';
import type { Locale } from '../i18n/index';
import { FakeDesktopApi } from './fake-desktop-api';

const running: Array<() => void> = [];

export function renderApp(options: { api?: FakeDesktopApi; locale?: Locale; timing?: Partial<AppTiming> } = {}) {
  const api = options.api ?? new FakeDesktopApi();
  // Retries are shortened so failure paths finish quickly; the note debounce keeps its product value.
  const app = createAppStore(api, {
    locale: options.locale ?? 'en',
    timing: { noteRetryBaseMs: 20, noteRetryMaxMs: 40, startRetryBaseMs: 20, searchDelayMs: 50, ...options.timing },
  });
  running.push(app.stop);
  const user = userEvent.setup();
  const view = render(
    <Provider store={app.store}>
      <App />
    </Provider>,
  );
  return { ...view, api, store: app.store, user };
}

/** Call from afterEach: unmounts and stops every app rendered in the test (subscriptions, pending saves). */
export function stopRenderedApps(): void {
  cleanup();
  while (running.length) running.pop()?.();
}
