// The root view: waits for the desktop to say who is signed in, then shows sign-in or the workspace.
import { useEffect } from 'react';
import { useAppSelector } from './hooks';
import { useLocale, useT } from '../i18n/use-t';
import { SignInForm } from '../features/session/SignInForm';
import { selectSessionError, selectSessionStatus, selectUser } from '../features/session/session-slice';
import { Workspace } from './Workspace';
import { observePopPaints } from '../features/screen-pop/paint-timing';
import { SupervisorView } from '../features/supervisor/SupervisorView';
import { isSupervisorRole } from '../features/supervisor/supervisor-listeners';
import { VocDeskView } from '../features/voc-desk/VocDeskView';
import { selectDesk } from '../features/voc-desk/voc-desk-slice';

export function App() {
  const t = useT();
  const locale = useLocale();
  const status = useAppSelector(selectSessionStatus);
  const error = useAppSelector(selectSessionError);
  const role = useAppSelector(selectUser)?.role;
  const deskShown = useAppSelector(selectDesk).shown;

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
      // Department staff work the VOC desk, not calls; supervisors and admins see the floor view and
      // switch to the desk; agents never see either.
      if (role === 'staff') return <VocDeskView />;
      if (isSupervisorRole(role)) return deskShown ? <VocDeskView /> : <SupervisorView />;
      return <Workspace />;
  }
}
