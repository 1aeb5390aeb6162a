// The one bar across the top of every view: who is signed in (and signing out), the way between their
// views, the agent's state and customer search when taking calls, sync state, language, settings and
// the shortcuts sheet.
import { useAppDispatch, useAppSelector } from './hooks';
import { useT } from '../i18n/use-t';
import { AgentStateBar } from '../features/agent-state/AgentStateBar';
import { SearchBox } from '../features/search/SearchBox';
import { SignedInAs } from '../features/session/SignedInAs';
import { LanguageSwitch } from '../features/settings/LanguageSwitch';
import { SettingsButton } from '../features/settings/SettingsDialog';
import { selectView, type View } from '../features/shell/shell-slice';
import { ViewSwitch } from '../features/shell/ViewSwitch';
import { shortcutSheetOpened } from '../features/shortcuts/shortcuts-slice';
import { SyncStatusIndicator } from '../features/sync-status/SyncStatusIndicator';
import type { MessageKey } from '../i18n/index';

/** Each view's bar keeps the test id and name it always had. */
const BAR: Record<View, { testId: string; label: MessageKey }> = {
  calls: { testId: 'agent-bar', label: 'agentBar.label' },
  floor: { testId: 'floor-bar', label: 'supervisor.barLabel' },
  desk: { testId: 'desk-bar', label: 'vocDesk.barLabel' },
  analysis: { testId: 'analysis-bar', label: 'analysis.barLabel' },
};

export function TopBar() {
  const t = useT();
  const dispatch = useAppDispatch();
  const view = useAppSelector(selectView);
  const bar = BAR[view];
  return (
    <header data-testid={bar.testId} className="agent-bar" aria-label={t(bar.label)}>
      <span className="brand">{t('app.title')}</span>
      <SignedInAs />
      <ViewSwitch />
      {view === 'calls' && <AgentStateBar />}
      <SyncStatusIndicator />
      {view === 'calls' && <SearchBox />}
      <LanguageSwitch />
      <SettingsButton />
      <button type="button" className="shortcuts-button" aria-keyshortcuts="?" onClick={() => dispatch(shortcutSheetOpened())}>
        {t('shortcuts.open')}
      </button>
    </header>
  );
}
