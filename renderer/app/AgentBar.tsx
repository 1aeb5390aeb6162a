// The bar across the top: who is signed in (and signing out), their state, sync state, customer search, language, shortcuts.
import { useAppDispatch } from './hooks';
import { useT } from '../i18n/use-t';
import { AgentStateBar } from '../features/agent-state/AgentStateBar';
import { SearchBox } from '../features/search/SearchBox';
import { SignedInAs } from '../features/session/SignedInAs';
import { LanguageSwitch } from '../features/settings/LanguageSwitch';
import { SettingsButton } from '../features/settings/SettingsDialog';
import { shortcutSheetOpened } from '../features/shortcuts/shortcuts-slice';
import { SyncStatusIndicator } from '../features/sync-status/SyncStatusIndicator';

export function AgentBar() {
  const t = useT();
  const dispatch = useAppDispatch();
  return (
    <header data-testid="agent-bar" className="agent-bar" aria-label={t('agentBar.label')}>
      <span className="brand">{t('app.title')}</span>
      <SignedInAs />
      <AgentStateBar />
      <SyncStatusIndicator />
      <SearchBox />
      <LanguageSwitch />
      <SettingsButton />
      <button type="button" className="shortcuts-button" aria-keyshortcuts="?" onClick={() => dispatch(shortcutSheetOpened())}>
        {t('shortcuts.open')}
      </button>
    </header>
  );
}
