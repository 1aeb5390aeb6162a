// The root view: waits for the desktop to say who is signed in, then shows sign-in or the workspace.
import { useEffect } from 'react';
import { useAppSelector } from './hooks';
import { useLocale, useT } from '../i18n/use-t';
import { SignInForm } from '../features/session/SignInForm';
import { selectSessionError, selectSessionStatus } from '../features/session/session-slice';
import { Workspace } from './Workspace';
import { observePopPaints } from '../features/screen-pop/paint-timing';
import { selectView } from '../features/shell/shell-slice';
import { ShortcutSheet } from '../features/shortcuts/ShortcutSheet';
import { useShortcuts } from '../features/shortcuts/use-shortcuts';
import { AnalysisView } from '../features/analysis/AnalysisView';
import { SupervisorView } from '../features/supervisor/SupervisorView';
import { VocDeskView } from '../features/voc-desk/VocDeskView';

/** The signed-in person's view, with the keyboard shortcuts and their sheet on every one. */
function SignedIn() {
  useShortcuts();
  const view = useAppSelector(selectView);
  return (
    <>
      {view === 'calls' ? <Workspace /> : view === 'floor' ? <SupervisorView /> : view === 'analysis' ? <AnalysisView /> : <VocDeskView />}
      <ShortcutSheet />
    </>
  );
}

export function App() {
  const t = useT();
  const locale = useLocale();
  const status = useAppSelector(selectSessionStatus);
  const error = useAppSelector(selectSessionError);

  // Ring-to-paint marks (features/screen-pop/paint-timing.ts) for the whole life of the view.
  useEffect(() => observePopPaints(), []);

  // Screen readers and fonts follow the UI language, not the page's static lang attribute.
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.title');
  }, [locale, t]);

  switch (status) {
    case 'checking':
      return (
        <p className="app-message" role="status">
          {t('app.loading')}
        </p>
      );
    case 'unavailable':
      return (
        <div className="app-message" role="alert" data-testid="app-unavailable">
          <p>{t('app.unavailable')}</p>
          {error && <p className="muted">{error}</p>}
        </div>
      );
    case 'signedOut':
    case 'signingIn':
      return <SignInForm />;
    case 'signedIn':
      // Agents take calls; department staff work the VOC desk; supervisors and admins see the floor
      // and switch to the desk, and to calls when they take calls too (features/shell).
      return <SignedIn />;
  }
}
