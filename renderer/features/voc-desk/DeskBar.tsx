// The desk's bar (session/RoleBar) with, for supervisors and admins, the way back to the floor view;
// and on the floor view, the way to the desk.
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectUser } from '../session/session-slice';
import { RoleBar } from '../session/RoleBar';
import { deskShown, selectDesk } from './voc-desk-slice';

export function DeskBar() {
  const t = useT();
  const dispatch = useAppDispatch();
  const user = useAppSelector(selectUser);
  const canSwitch = user?.role === 'supervisor' || user?.role === 'admin';
  return (
    <RoleBar label={t('vocDesk.barLabel')} testId="desk-bar">
      {canSwitch && (
        <button type="button" data-testid="show-floor" onClick={() => dispatch(deskShown(false))}>
          {t('vocDesk.showFloor')}
        </button>
      )}
    </RoleBar>
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
