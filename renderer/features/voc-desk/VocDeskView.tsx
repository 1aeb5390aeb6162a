// The VOC desk (VOC.md steps 3–7): role `staff` sees it instead of the agent workspace; supervisors
// and admins switch to it from the floor view. The list on one side, the open item beside it.
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectDepartmentsById } from '../voc/reference-slice';
import { TopBar } from '../../app/TopBar';
import { DeskFilters, DeskScopes } from './DeskFilters';
import { DeskItemPage } from './DeskItemPage';
import { DeskList } from './DeskList';
import { deskAlertDismissed, deskItemOpened, selectDesk } from './voc-desk-slice';
import './voc-desk.css';
import { DeskImprovementList, DeskTabs, ImprovementPage } from '../improvements/DeskImprovements';
import { selectImprovements } from '../improvements/improvements-slice';

function OverdueAlerts() {
  const t = useT();
  const dispatch = useAppDispatch();
  const { alerts } = useAppSelector(selectDesk);
  const departments = useAppSelector(selectDepartmentsById);
  return (
    <div role="status" aria-live="polite" className="desk-alerts">
      {alerts.map((a) => (
        <p key={`${a.id}-${a.deadline}`} className="desk-alert" data-testid="desk-overdue-alert">
          {t('vocDesk.alert', {
            number: a.number ?? '—',
            deadline: t(`vocDesk.deadline.${a.deadline}`),
            department: departments.get(a.departmentId ?? '')?.name ?? a.departmentId ?? '—',
          })}{' '}
          <button type="button" className="link" onClick={() => dispatch(deskItemOpened(a.id))}>
            {t('vocDesk.alertOpen')}
          </button>{' '}
          <button type="button" className="link" onClick={() => dispatch(deskAlertDismissed({ id: a.id, deadline: a.deadline }))}>
            {t('vocDesk.alertDismiss')}
          </button>
        </p>
      ))}
    </div>
  );
}

export function VocDeskView() {
  const t = useT();
  const tab = useAppSelector(selectImprovements).deskTab;
  return (
    <div className="desk">
      <TopBar />
      <main className="desk-main" data-testid="voc-desk">
        <section className="pane desk-list-pane" aria-labelledby="desk-heading">
          <h1 id="desk-heading">{t('vocDesk.heading')}</h1>
          <DeskTabs />
          <OverdueAlerts />
          {tab === 'items' ? (
            <>
              <DeskScopes />
              <DeskFilters />
              <DeskList />
            </>
          ) : (
            <DeskImprovementList />
          )}
        </section>
        <section className="pane desk-item-pane" aria-label={t('vocDesk.itemLabel')}>
          {tab === 'items' ? <DeskItemPage /> : <ImprovementPage />}
        </section>
      </main>
    </div>
  );
}
