// Renderer entry: picks the UI language, builds the store around the DesktopApi and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { getDesktopApi } from './api';
import { desktopReconnected } from './app/actions';
import { App } from './app/App';
import { createAppStore } from './app/store';
import { detectLocale, LOCALES, type Locale } from './i18n/index';
import { LOCALE_STORAGE_KEY } from './features/settings/settings-listeners';
import './styles.css';

function storageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const storage = storageOrNull();
const remembered = storage?.getItem(LOCALE_STORAGE_KEY);
const locale: Locale = LOCALES.find((l) => l === remembered) ?? detectLocale(navigator.languages ?? [navigator.language]);

// The store needs the api and the api's reconnect hook needs the store: bind the hook late.
let reconnected = (): void => undefined;
const api = getDesktopApi({ onReconnect: () => reconnected() });
const { store } = createAppStore(api, { locale, storage });
reconnected = () => store.dispatch(desktopReconnected());

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element: the renderer cannot start.');
createRoot(container).render(
  <StrictMode>
    <Provider store={store}>
      <App />
    </Provider>
  </StrictMode>,
);
