// The bar across the desk: who is signed in (and signing out), sync state (with what the center refused), language,
// settings, and for supervisors and admins the way back to the floor view.
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectUser } from '../session/session-slice';
import { SignedInAs } from '../session/SignedInAs';
import { LanguageSwitch } from '../settings/LanguageSwitch';
import { SettingsButton } from '../settings/SettingsDialog';
import { SyncStatusIndicator } from '../sync-status/SyncStatusIndicator';
import { deskShown, selectDesk } from './voc-desk-slice';

export function DeskBar() {
  const t = useT();
  const dispatch = useAppDispatch();
  const user = useAppSelector(selectUser);
  const canSwitch = user?.role === 'supervisor' || user?.role === 'admin';
  return (
    <header className="agent-bar desk-bar" data-testid="desk-bar" aria-label={t('vocDesk.barLabel')}>
      <span className="brand">{t('app.title')}</span>
      <SignedInAs />
      {canSwitch && (
        <button type="button" data-testid="show-floor" onClick={() => dispatch(deskShown(false))}>
          {t('vocDesk.showFloor')}
        </button>
      )}
      <SyncStatusIndicator />
      <LanguageSwitch />
      <SettingsButton />
    </header>
  );
}

/** On the floor view: the way to the VOC desk, with the overdue alerts heard meanwhile (urgent and safety items). */
export function ShowDeskButton() {
  const t = useT();
  const dispatch = useAppDispatch();
  const alerts = useAppSelector(selectDesk).alerts.length;
  return (
    <button type="button" data-testid="show-desk" onClick={() => dispatch(deskShown(true))}>
      {t('vocDesk.showDesk')}
      {alerts > 0 && (
        <span className="overdue-badge" data-testid="show-desk-alerts" aria-label={t('vocDesk.alertCount', { count: alerts })}>
          {alerts}
        </span>
      )}
    </button>
  );
}
