// The desk's list choices: whose items (mine, a department's, every department's) and the filters
// (type, priority, topic, step, due date). One value per filter keeps the row calm and keyboard-quick.
import { useMemo } from 'react';
import { VOC_PRIORITIES, VOC_STATUSES, VOC_TYPES } from '../../../shared/domain/index';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectUser } from '../session/session-slice';
import { selectDepartments, selectTopicOptions } from '../voc/reference-slice';
import { deskFiltersChanged, deskFiltersCleared, deskScopeChosen, selectDesk, type DeskScope, type DueFilter } from './voc-desk-slice';

const DUE: readonly DueFilter[] = ['any', 'overdue', 'today', 'week'];
const UNCLASSIFIED = '__unclassified';

export function DeskScopes() {
  const t = useT();
  const dispatch = useAppDispatch();
  const { scope, list } = useAppSelector(selectDesk);
  const role = useAppSelector(selectUser)?.role;
  const scopes: DeskScope[] = role === 'supervisor' || role === 'admin' ? ['mine', 'department', 'all'] : ['mine', 'department'];
  return (
    <div className="desk-scopes" role="group" aria-label={t('vocDesk.scopeLabel')}>
      {scopes.map((s) => (
        <button key={s} type="button" data-testid={`desk-scope-${s}`} aria-pressed={scope === s} onClick={() => dispatch(deskScopeChosen(s))}>
          {t(`vocDesk.scope.${s}`)}
          {scope === s && list.overdueCount > 0 && (
            <span className="overdue-badge" data-testid="desk-overdue-badge" aria-label={t('vocDesk.overdueCount', { count: list.overdueCount })}>
              {list.overdueCount}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

export function DeskFilters() {
  const t = useT();
  const dispatch = useAppDispatch();
  const { scope, filters } = useAppSelector(selectDesk);
  const user = useAppSelector(selectUser);
  const departments = useAppSelector(selectDepartments);
  const topics = useAppSelector(selectTopicOptions);
  const supervisor = user?.role === 'supervisor' || user?.role === 'admin';
  // Staff pick among their own departments; supervisors among all of them.
  const choosable = useMemo(
    () => departments.filter((d) => supervisor || d.leadUserId === user?.id || d.members.some((m) => m.userId === user?.id)),
    [departments, supervisor, user?.id],
  );
  const change = (f: Parameters<typeof deskFiltersChanged>[0]) => dispatch(deskFiltersChanged(f));
  const topicValue = filters.unclassified ? UNCLASSIFIED : (filters.topicId ?? '');
  return (
    <form className="desk-filters" aria-label={t('vocDesk.filtersLabel')} onSubmit={(e) => e.preventDefault()}>
      {scope !== 'mine' && (
        <label>
          {t('vocDesk.filter.department')}
          <select data-testid="desk-filter-department" value={filters.departmentId ?? ''} onChange={(e) => change({ departmentId: e.target.value || null })}>
            <option value="">{supervisor && scope === 'all' ? t('vocDesk.filter.everyDepartment') : t('vocDesk.filter.myDepartments')}</option>
            {choosable.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <ChoiceSelect
        label={t('voc.type')}
        testId="desk-filter-type"
        values={VOC_TYPES}
        value={filters.types[0] ?? null}
        none={t('history.all')}
        labelOf={(v) => t(`voc.type.${v}`)}
        onChange={(v) => change({ types: v ? [v] : [] })}
      />
      <ChoiceSelect
        label={t('voc.priority')}
        testId="desk-filter-priority"
        values={VOC_PRIORITIES}
        value={filters.priorities[0] ?? null}
        none={t('history.all')}
        labelOf={(v) => t(`voc.priority.${v}`)}
        onChange={(v) => change({ priorities: v ? [v] : [] })}
      />
      <label>
        {t('voc.topic')}
        <select
          data-testid="desk-filter-topic"
          value={topicValue}
          onChange={(e) => change(e.target.value === UNCLASSIFIED ? { topicId: null, unclassified: true } : { topicId: e.target.value || null, unclassified: false })}
        >
          <option value="">{t('history.all')}</option>
          <option value={UNCLASSIFIED}>{t('vocDesk.filter.unclassified')}</option>
          {topics.map((o) => (
            <option key={o.id} value={o.id}>
              {o.category ? `${o.category} › ${o.name}` : o.name}
            </option>
          ))}
        </select>
      </label>
      <ChoiceSelect
        label={t('vocDesk.filter.step')}
        testId="desk-filter-step"
        values={VOC_STATUSES}
        value={filters.statuses[0] ?? null}
        none={t('vocDesk.filter.anyStep')}
        labelOf={(v) => t(`vocStatus.${v}`)}
        onChange={(v) => change({ statuses: v ? [v] : [] })}
      />
      <ChoiceSelect
        label={t('vocDesk.filter.due')}
        testId="desk-filter-due"
        values={DUE}
        value={filters.due}
        labelOf={(d) => t(`vocDesk.due.${d}`)}
        onChange={(due) => change({ due: due ?? 'any' })}
      />
      <button type="button" className="link" data-testid="desk-filter-clear" onClick={() => dispatch(deskFiltersCleared())}>
        {t('vocDesk.filter.clear')}
      </button>
    </form>
  );
}
