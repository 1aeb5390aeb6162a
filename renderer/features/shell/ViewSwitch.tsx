// The way between a person's views (floor, calls, VOC desk, analysis), in the top bar; Alt+1 to Alt+4 too.
// The desk's tab carries the overdue alerts heard while elsewhere (urgent and safety items).
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectDesk } from '../voc-desk/voc-desk-slice';
import { selectView, selectViews, viewChosen, type View } from './shell-slice';

const TEST_IDS: Record<View, string> = { floor: 'show-floor', calls: 'show-calls', desk: 'show-desk', analysis: 'show-analysis' };
export const VIEW_KEYS: Record<View, string> = { floor: 'Alt+1', calls: 'Alt+2', desk: 'Alt+3', analysis: 'Alt+4' };

export function ViewSwitch() {
  const t = useT();
  const dispatch = useAppDispatch();
  const views = useAppSelector(selectViews);
  const current = useAppSelector(selectView);
  const alerts = useAppSelector(selectDesk).alerts.length;
  if (views.length < 2) return null;
  return (
    <nav className="view-switch" aria-label={t('shell.views')}>
      {views.map((view) => (
        <button
          key={view}
          type="button"
          data-testid={TEST_IDS[view]}
          aria-current={view === current ? 'page' : undefined}
          aria-keyshortcuts={VIEW_KEYS[view]}
          title={t('call.withShortcut', { label: t(`shell.view.${view}`), keys: VIEW_KEYS[view] })}
          onClick={() => dispatch(viewChosen(view))}
        >
          {t(`shell.view.${view}`)}
          {view === 'desk' && alerts > 0 && view !== current && (
            <span className="overdue-badge" data-testid="show-desk-alerts" aria-label={t('vocDesk.alertCount', { count: alerts })}>
              {alerts}
            </span>
          )}
        </button>
      ))}
    </nav>
  );
}
