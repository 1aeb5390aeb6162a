// Proposing an improvement from the analysis (VOC.md step 10): from every item of the open matrix
// cell, from the items ticked in its drill list, or from one ticked item. The dialog asks the title,
// what should change, the owning department (those this person may propose for), the target date;
// the topic is the cell's. Supervisors, admins and department leads only: the others see no button.
import { useEffect, useState } from 'react';
import { IMPROVEMENT_CHANGE_MAX, IMPROVEMENT_TITLE_MAX, type ImprovementSource } from '../../../shared/api/improvements';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useDialogFocus } from '../../components/use-dialog-focus';
import { formatNumber } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { selectAnalysis } from '../analysis/analysis-slice';
import { selectDepartmentsById } from '../voc/reference-slice';
import { useTopicPath } from '../voc/use-topic-name';
import { draftChanged, draftClosed, draftOpened, improvementSubmitted, itemSelectionToggled, selectImprovements } from './improvements-slice';
import { useImprovementRights } from './rights';
import './improvements.css';

/** The tick box in front of a drill list item's number. */
export function ItemSelect({ id, number }: { id: string; number: string | null }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const selected = useAppSelector(selectImprovements).selected.includes(id);
  if (useImprovementRights().proposeFor.length === 0) return null;
  return (
    <input
      type="checkbox"
      className="improvement-select"
      data-testid="improvement-select"
      checked={selected}
      aria-label={t('improvement.selectItem', { number: number ?? '—' })}
      onChange={() => dispatch(itemSelectionToggled(id))}
    />
  );
}

/** The scope keys the matrix was asked for (the center's AnalysisQuery), carried with a cell. */
const SCOPE_KEYS = ['department', 'queue', 'channel', 'tier'] as const;

/** Under the open cell's items: propose for the whole cell, or for the ticked items; the dialog; what was proposed. */
export function CellImprovementActions({ count }: { count: number }) {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const rights = useImprovementRights();
  const { cell, view, request } = useAppSelector(selectAnalysis);
  const { selected, created } = useAppSelector(selectImprovements);
  const departments = useAppSelector(selectDepartmentsById);
  if (!cell || !view || rights.proposeFor.length === 0) return null;
  const topicId = cell.topic || null;
  // The department most of the cell's shown items went to, when this person may propose for it.
  const usual = (() => {
    const tally = new Map<string, number>();
    for (const i of cell.items) if (i.departmentId) tally.set(i.departmentId, (tally.get(i.departmentId) ?? 0) + 1);
    const best = [...tally].sort((a, b) => b[1] - a[1]).find(([d]) => rights.proposeFor.some((p) => p.id === d));
    return best?.[0] ?? rights.proposeFor[0]!.id;
  })();
  const open = (source: ImprovementSource, n: number) => dispatch(draftOpened({ source, count: n, topicId, departmentId: usual }));
  const scope = Object.fromEntries(SCOPE_KEYS.flatMap((k) => {
    const v = (request as Record<string, unknown>)[k];
    return typeof v === 'string' && v ? [[k, v]] : [];
  }));
  const fromCell = () => open({ cell: { from: view.matrix.period.from, to: view.matrix.period.to, ...scope, topic: cell.topic, type: cell.type } }, count);
  const fromSelected = () => open(selected.length === 1 ? { item: selected[0]! } : { items: [...selected] }, selected.length);
  return (
    <>
      <div className="improvement-actions">
        <button type="button" data-testid="improvement-from-cell" disabled={count === 0} onClick={fromCell}>
          {t('improvement.proposeCell', { count: formatNumber(locale, count) })}
        </button>
        <button type="button" data-testid="improvement-from-selected" disabled={selected.length === 0} onClick={fromSelected}>
          {t('improvement.proposeSelected', { count: selected.length })}
        </button>
      </div>
      <p role="status" className="improvement-created" data-testid="improvement-created">
        {created && t('improvement.created', { title: created.title, department: departments.get(created.departmentId)?.name ?? created.departmentId })}
      </p>
      <ImprovementDialog />
    </>
  );
}

export function ImprovementDialog() {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const draft = useAppSelector(selectImprovements).draft;
  const rights = useImprovementRights();
  const topicPath = useTopicPath(t);
  const names = useAppSelector(selectDepartmentsById);
  const first = useDialogFocus<HTMLInputElement>(draft !== null);
  const [tried, setTried] = useState(false);
  useEffect(() => setTried(false), [draft?.source]);
  if (!draft) return null;
  const missing = !draft.title.trim() || !draft.change.trim() || !draft.departmentId;
  const kind = 'cell' in draft.source ? 'cell' : 'items' in draft.source ? 'items' : 'item';
  const topic = topicPath(draft.topicId, draft.topicId ?? '');
  return (
    <div className="backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="improvement-dialog-title"
        className="dialog"
        data-testid="improvement-dialog"
        onKeyDown={(e) => e.key === 'Escape' && dispatch(draftClosed())}
      >
        <form
          className="improvement-dialog"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setTried(true);
            if (!missing) dispatch(improvementSubmitted());
          }}
        >
          <h2 id="improvement-dialog-title">{t('improvement.dialogHeading')}</h2>
          <p className="muted" data-testid="improvement-answers">
            {t('improvement.answers', { count: formatNumber(locale, draft.count), source: t(`improvement.source.${kind}`) })}
          </p>
          <p>
            {t('improvement.topic')}: <strong data-testid="improvement-topic">{topic}</strong>
          </p>
          <label>
            {t('improvement.title')}
            <input ref={first} data-testid="improvement-title" maxLength={IMPROVEMENT_TITLE_MAX} value={draft.title} required onChange={(e) => dispatch(draftChanged({ title: e.target.value }))} />
          </label>
          <label>
            {t('improvement.change')}
            <textarea data-testid="improvement-change" rows={4} maxLength={IMPROVEMENT_CHANGE_MAX} value={draft.change} required onChange={(e) => dispatch(draftChanged({ change: e.target.value }))} />
          </label>
          <label>
            {t('improvement.department')}
            <select data-testid="improvement-department" value={draft.departmentId} onChange={(e) => dispatch(draftChanged({ departmentId: e.target.value }))}>
              {rights.proposeFor.map((d) => (
                <option key={d.id} value={d.id}>
                  {names.get(d.id)?.name ?? d.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('improvement.target')}
            <input type="date" data-testid="improvement-target" value={draft.targetDate} onChange={(e) => dispatch(draftChanged({ targetDate: e.target.value }))} />
          </label>
          {tried && missing && (
            <p role="alert" className="error" data-testid="improvement-missing">
              {t('improvement.missing')}
            </p>
          )}
          {draft.error && (
            <p role="alert" className="error" data-testid="improvement-error">
              {t('improvement.failed', { message: draft.error })}
            </p>
          )}
          <div className="dialog-actions">
            <button type="submit" data-testid="improvement-submit" disabled={draft.sending}>
              {draft.sending ? t('improvement.sending') : t('improvement.submit')}
            </button>
            <button type="button" onClick={() => dispatch(draftClosed())}>
              {t('improvement.cancel')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
