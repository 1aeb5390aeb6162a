// The VOC analysis (VOC.md step 9): for a period (the center's default: the last 90 days) the
// catalogue topic × VOC type matrix, each cell with its count and the change against the previous
// period of the same length, shaded by its count (the number is always written: never colour
// alone); a cell opens its items below; beside it the period's headline figures. Supervisors and
// admins switch to it; analysts (management) see only this.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { AnalysisCellItem, AnalysisFigures, AnalysisMatrix } from '../../../shared/api/analysis';
import { VOC_TYPES, type VocType } from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { TopBar } from '../../app/TopBar';
import { formatDate, formatNumber, formatPercent, type Locale } from '../../i18n/index';
import { useLocale, useT, type Translate } from '../../i18n/use-t';
import { selectDepartmentsById } from '../voc/reference-slice';
import { useTopicPath as useTopicName, type TopicName } from '../voc/use-topic-name';
import { analysisCellChosen, analysisMoreItemsAsked, analysisOpened, analysisPeriodChosen, selectAnalysis } from './analysis-slice';
import { downloadCsv, toCsv } from './csv';
import { CellImprovementActions, ItemSelect } from '../improvements/ProposeImprovement';
import { OpenImprovementsPanel, TopicImprovementBadge } from '../improvements/OpenImprovements';
import './analysis.css';

/** 0 for an empty cell, else 1–4 by its share of the largest count. */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(4, 1 + Math.floor((3 * count) / max));
}

const signed = (locale: Locale, n: number) => (n > 0 ? `+${formatNumber(locale, n)}` : n < 0 ? `−${formatNumber(locale, -n)}` : '±0');
const percent = (locale: Locale, rate: number | null) => (rate === null ? '—' : formatPercent(locale, rate));
const cellKey = (topic: string | null, type: VocType) => `${topic ?? ''}|${type}`;

function PeriodForm() {
  const t = useT();
  const dispatch = useAppDispatch();
  const { view, status } = useAppSelector(selectAnalysis);
  const shown = view?.matrix.period;
  const [from, setFrom] = useState(shown?.from ?? '');
  const [to, setTo] = useState(shown?.to ?? '');
  // The center fills in the default period: the fields follow what it answered.
  useEffect(() => {
    if (shown) {
      setFrom(shown.from);
      setTo(shown.to);
    }
  }, [shown]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    dispatch(analysisPeriodChosen({ ...(from ? { from } : {}), ...(to ? { to } : {}) }));
  };
  return (
    <form className="analysis-period" onSubmit={submit} aria-label={t('analysis.period')}>
      <label>
        {t('analysis.from')}
        <input type="date" data-testid="analysis-from" value={from} required onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        {t('analysis.to')}
        <input type="date" data-testid="analysis-to" value={to} required onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit" data-testid="analysis-show" disabled={status === 'loading'}>
        {t('analysis.show')}
      </button>
    </form>
  );
}

function MatrixTable({ matrix, topicName }: { matrix: AnalysisMatrix; topicName: TopicName }) {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const open = useAppSelector(selectAnalysis).cell;
  const cells = useMemo(() => new Map(matrix.cells.map((c) => [cellKey(c.topicId, c.type), c])), [matrix]);
  const max = useMemo(() => matrix.cells.reduce((m, c) => Math.max(m, c.count), 0), [matrix]);
  const types = matrix.types.length ? matrix.types : VOC_TYPES;

  const exportCsv = () => {
    const header = [t('analysis.csv.topicId'), t('analysis.topic'), ...types.flatMap((ty) => [t(`voc.type.${ty}`), `${t(`voc.type.${ty}`)} (${t('analysis.csv.previous')})`])];
    const rows = matrix.topics.map((tp) => [
      tp.id ?? '',
      topicName(tp.id, tp.name),
      ...types.flatMap((ty) => {
        const c = cells.get(cellKey(tp.id, ty));
        return [c?.count ?? 0, c?.previous ?? 0];
      }),
    ]);
    void toCsv(header, rows).then((text) => downloadCsv(`voc-matrix-${matrix.period.from}-${matrix.period.to}.csv`, text));
  };

  if (matrix.topics.length === 0) {
    return (
      <p className="muted" data-testid="analysis-empty">
        {t('analysis.empty')}
      </p>
    );
  }
  return (
    <>
      <div className="analysis-scroll">
        <table className="analysis-matrix" data-testid="analysis-matrix">
          <caption>{t('analysis.matrixCaption', { from: matrix.period.from, to: matrix.period.to, prevFrom: matrix.previous.from, prevTo: matrix.previous.to })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('analysis.topic')}</th>
              {types.map((ty) => (
                <th key={ty} scope="col">
                  {t(`voc.type.${ty}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.topics.map((tp) => {
              const name = topicName(tp.id, tp.name);
              return (
                <tr key={tp.id ?? ''}>
                  <th scope="row">
                    {name}
                    <TopicImprovementBadge topicId={tp.id} topic={name} />
                  </th>
                  {types.map((ty) => {
                    const c = cells.get(cellKey(tp.id, ty));
                    const count = c?.count ?? 0;
                    const change = count - (c?.previous ?? 0);
                    const selected = open?.topic === (tp.id ?? '') && open.type === ty;
                    return (
                      <td key={ty} className={`heat-${heatLevel(count, max)}`}>
                        <button
                          type="button"
                          className="analysis-cell"
                          data-testid="analysis-cell"
                          data-topic={tp.id ?? ''}
                          data-type={ty}
                          aria-pressed={selected}
                          onClick={() => dispatch(analysisCellChosen({ topic: tp.id ?? '', type: ty }))}
                        >
                          <span className="visually-hidden">{t('analysis.cellOf', { topic: name, type: t(`voc.type.${ty}`) })} </span>
                          <span className="analysis-count">{formatNumber(locale, count)}</span>{' '}
                          <span className="analysis-change" aria-hidden="true">
                            {signed(locale, change)}
                          </span>
                          <span className="visually-hidden"> {t('analysis.changeSaid', { change: signed(locale, change), previous: formatNumber(locale, c?.previous ?? 0) })}</span>
                        </button>
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="analysis-legend muted">{t('analysis.legend')}</p>
      <button type="button" data-testid="analysis-matrix-csv" onClick={exportCsv}>
        {t('analysis.exportMatrix')}
      </button>
    </>
  );
}

function CellItems({ topicName }: { topicName: TopicName }) {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const { cell, view } = useAppSelector(selectAnalysis);
  if (!cell || !view) return null;
  const topic = topicName(cell.topic || null, view.matrix.topics.find((tp) => (tp.id ?? '') === cell.topic)?.name ?? cell.topic);
  const title = t('analysis.cellOf', { topic, type: t(`voc.type.${cell.type}`) });
  const exportCsv = () => {
    const header = [t('analysis.item.number'), t('analysis.item.type'), t('analysis.item.topic'), t('analysis.item.status'), t('analysis.item.raised')];
    const rows = cell.items.map((i: AnalysisCellItem) => [i.number ?? '', t(`voc.type.${i.type}`), topicName(i.topicId, i.topicId ?? ''), t(`vocStatus.${i.status}`), i.raisedAt]);
    const name = cell.topic.replace(/[^a-z0-9-]+/gi, '_') || 'unclassified';
    void toCsv(header, rows).then((text) => downloadCsv(`voc-${name}-${cell.type}-${view.matrix.period.from}-${view.matrix.period.to}.csv`, text));
  };
  return (
    <section className="analysis-items" aria-labelledby="analysis-items-heading" data-testid="analysis-items">
      <h2 id="analysis-items-heading">{title}</h2>
      {cell.status === 'failed' && cell.error && (
        <p role="alert" className="error" data-testid="analysis-items-error">
          {cell.error.message}
        </p>
      )}
      {cell.status === 'loading' && cell.items.length === 0 && <p className="muted">{t('analysis.loading')}</p>}
      {cell.status !== 'loading' && cell.status !== 'failed' && cell.items.length === 0 && <p className="muted">{t('analysis.noItems')}</p>}
      {cell.items.length > 0 && (
        <table className="analysis-table" data-testid="analysis-items-table">
          <thead>
            <tr>
              <th scope="col">{t('analysis.item.number')}</th>
              <th scope="col">{t('analysis.item.type')}</th>
              <th scope="col">{t('analysis.item.topic')}</th>
              <th scope="col">{t('analysis.item.status')}</th>
              <th scope="col">{t('analysis.item.raised')}</th>
            </tr>
          </thead>
          <tbody>
            {cell.items.map((i) => (
              <tr key={i.id} data-testid="analysis-item">
                <td className="analysis-number">
                  <ItemSelect id={i.id} number={i.number} />
                  {i.number ?? '—'}
                </td>
                <td>{t(`voc.type.${i.type}`)}</td>
                <td>{topicName(i.topicId, i.topicId ?? '')}</td>
                <td>{t(`vocStatus.${i.status}`)}</td>
                <td>
                  <time dateTime={i.raisedAt}>{formatDate(locale, i.raisedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="analysis-actions">
        {cell.next && (
          <button type="button" data-testid="analysis-more" disabled={cell.status === 'loading'} onClick={() => dispatch(analysisMoreItemsAsked())}>
            {t('analysis.more')}
          </button>
        )}
        {cell.items.length > 0 && (
          <button type="button" data-testid="analysis-items-csv" onClick={exportCsv}>
            {t('analysis.exportItems', { count: cell.items.length })}
          </button>
        )}
      </div>
      <CellImprovementActions count={view.matrix.cells.find((c) => (c.topicId ?? '') === cell.topic && c.type === cell.type)?.count ?? 0} />
    </section>
  );
}

/** Minutes as the figure reads best: minutes, hours or days. */
function duration(t: Translate, locale: Locale, minutes: number | null, atLeast: boolean): string {
  if (minutes === null) return '—';
  const said =
    minutes < 120
      ? t('analysis.minutes', { n: formatNumber(locale, minutes) })
      : minutes < 48 * 60
        ? t('analysis.hours', { n: formatNumber(locale, minutes / 60) })
        : t('analysis.days', { n: formatNumber(locale, minutes / 1440) });
  return atLeast ? t('analysis.atLeast', { value: said }) : said;
}

function FiguresPanel({ figures }: { figures: AnalysisFigures }) {
  const t = useT();
  const locale = useLocale();
  const departments = useAppSelector(selectDepartmentsById);
  const told = figures.raisedToTold;
  return (
    <section className="analysis-figures" aria-labelledby="analysis-figures-heading" data-testid="analysis-figures">
      <h2 id="analysis-figures-heading">{t('analysis.figures')}</h2>
      <table className="analysis-table">
        <tbody>
          <tr>
            <th scope="row">{t('analysis.raised')}</th>
            <td data-testid="figure-raised">{formatNumber(locale, figures.raised)}</td>
          </tr>
          <tr>
            <th scope="row">{t('analysis.wantSlipShare')}</th>
            <td data-testid="figure-want-slips">{percent(locale, figures.wantSlipShare)}</td>
          </tr>
          <tr>
            <th scope="row">{t('analysis.reopenRate')}</th>
            <td data-testid="figure-reopen">{percent(locale, figures.reopenRate)}</td>
          </tr>
          <tr>
            <th scope="row">{t('analysis.satisfaction')}</th>
            <td data-testid="figure-satisfaction">
              {percent(locale, figures.satisfaction.rate)} <span className="muted">({t('analysis.answered', { n: formatNumber(locale, figures.satisfaction.answered) })})</span>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('analysis.toldMedian')}</th>
            <td data-testid="figure-told-median">{duration(t, locale, told.medianMinutes, false)}</td>
          </tr>
          <tr>
            <th scope="row">{t('analysis.toldP90')}</th>
            <td data-testid="figure-told-p90">{duration(t, locale, told.p90Minutes, told.beyondLastBucket)}</td>
          </tr>
        </tbody>
      </table>
      <h3>{t('analysis.compliance')}</h3>
      {figures.compliance.length === 0 ? (
        <p className="muted">{t('analysis.noCompliance')}</p>
      ) : (
        <table className="analysis-table" data-testid="analysis-compliance">
          <thead>
            <tr>
              <th scope="col">{t('analysis.department')}</th>
              <th scope="col">{t('analysis.acknowledge')}</th>
              <th scope="col">{t('analysis.resolve')}</th>
              <th scope="col">{t('analysis.notify')}</th>
            </tr>
          </thead>
          <tbody>
            {figures.compliance.map((c) => (
              <tr key={c.departmentId ?? ''}>
                <th scope="row">{c.departmentId === null ? t('analysis.noDepartment') : (departments.get(c.departmentId)?.name ?? c.departmentId)}</th>
                <td>{percent(locale, c.acknowledge.rate)}</td>
                <td>{percent(locale, c.resolve.rate)}</td>
                <td>{percent(locale, c.notify.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function AnalysisView() {
  const t = useT();
  const dispatch = useAppDispatch();
  const { status, view, error } = useAppSelector(selectAnalysis);
  const topicName = useTopicName(t);
  useEffect(() => {
    dispatch(analysisOpened());
  }, [dispatch]);
  return (
    <div className="analysis">
      <TopBar />
      <main className="analysis-main" data-testid="analysis">
        <section className="pane analysis-matrix-pane" aria-labelledby="analysis-heading">
          <h1 id="analysis-heading">{t('analysis.heading')}</h1>
          <PeriodForm />
          {status === 'failed' && error && (
            <p role="alert" className="error" data-testid="analysis-error">
              {error.code === 'offline' ? t('analysis.offline') : error.message}
            </p>
          )}
          {status === 'loading' && !view && <p className="muted">{t('analysis.loading')}</p>}
          {view && <MatrixTable matrix={view.matrix} topicName={topicName} />}
          <CellItems topicName={topicName} />
        </section>
        {view && (
          <aside className="pane analysis-side" aria-label={t('analysis.figures')}>
            <FiguresPanel figures={view.figures} />
            <OpenImprovementsPanel />
          </aside>
        )}
      </main>
    </div>
  );
}
