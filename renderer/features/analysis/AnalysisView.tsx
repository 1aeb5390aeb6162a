// The VOC analysis (VOC.md step 9): for a period (the center's default: the last 90 days) and a scope
// (department, queue, channel, value tier) the catalogue topic × VOC type matrix, each cell with its
// count and the change against the previous period of the same length, shaded by its count (the
// number is always written: never colour alone), split by value tier on demand; a cell opens its
// items below (each with links to its contact and customer); beside it the weekly trend per type,
// the topics rising most and the period's headline figures (per tier when split). Supervisors and
// admins switch to it; analysts (management) see only this.
import { useEffect, useMemo } from 'react';
import type { AnalysisCellItem, AnalysisFigures, AnalysisMatrix, AnalysisPeriod, AnalysisSummary } from '../../../shared/api/analysis';
import { VOC_TYPES, type VocType } from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { TopBar } from '../../app/TopBar';
import { formatDate, formatNumber, formatPercent, type Locale } from '../../i18n/index';
import { useLocale, useT, type Translate } from '../../i18n/use-t';
import { selectDepartmentsById } from '../voc/reference-slice';
import { useTopicPath as useTopicName, type TopicName } from '../voc/use-topic-name';
import { analysisCellChosen, analysisMoreItemsAsked, analysisOpened, selectAnalysis, type AnalysisTier } from './analysis-slice';
import { downloadCsv, toCsv } from './csv';
import { ItemLinks } from './ItemLinks';
import { RisingTopics } from './RisingTopics';
import { ScopeForm, TIER_CHOICES, tierName } from './ScopeForm';
import { WeeklyTrend } from './WeeklyTrend';
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
const cellKey = (topic: string | null, type: VocType, tier?: string | null) => `${topic ?? ''}|${type}${tier === undefined ? '' : `|${tier ?? 'none'}`}`;
/** A split matrix's tier as the request names it ("none": no tier known). */
const tierOf = (tier: string | null | undefined): AnalysisTier | undefined => (tier === undefined ? undefined : ((tier ?? 'none') as AnalysisTier));
const tierOrder = (tier: string | null) => {
  const i = TIER_CHOICES.indexOf((tier ?? 'none') as AnalysisTier);
  return i < 0 ? TIER_CHOICES.length : i;
};

function MatrixTable({ matrix, topicName }: { matrix: AnalysisMatrix; topicName: TopicName }) {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const open = useAppSelector(selectAnalysis).cell;
  const split = matrix.split === 'tier';
  const cells = useMemo(() => new Map(matrix.cells.map((c) => [cellKey(c.topicId, c.type, split ? (c.tier ?? null) : undefined), c])), [matrix, split]);
  const max = useMemo(() => matrix.cells.reduce((m, c) => Math.max(m, c.count), 0), [matrix]);
  const types = matrix.types.length ? matrix.types : VOC_TYPES;
  /** The rows: one per topic, or per topic and tier (tiers in their order, those with items only). */
  const rows = useMemo(
    () =>
      matrix.topics.flatMap((tp) => {
        if (!split) return [{ topic: tp, tier: undefined as string | null | undefined }];
        const tiers = [...new Set(matrix.cells.filter((c) => c.topicId === tp.id).map((c) => c.tier ?? null))].sort((a, b) => tierOrder(a) - tierOrder(b));
        return tiers.map((tier) => ({ topic: tp, tier }));
      }),
    [matrix, split],
  );

  const exportCsv = () => {
    const header = [
      t('analysis.csv.topicId'),
      t('analysis.topic'),
      ...(split ? [t('analysis.tier')] : []),
      ...types.flatMap((ty) => [t(`voc.type.${ty}`), `${t(`voc.type.${ty}`)} (${t('analysis.csv.previous')})`]),
    ];
    const lines = rows.map(({ topic: tp, tier }) => [
      tp.id ?? '',
      topicName(tp.id, tp.name),
      ...(split ? [tierName(t, tier ?? null)] : []),
      ...types.flatMap((ty) => {
        const c = cells.get(cellKey(tp.id, ty, tier));
        return [c?.count ?? 0, c?.previous ?? 0];
      }),
    ]);
    void toCsv(header, lines).then((text) => downloadCsv(`voc-matrix${split ? '-by-tier' : ''}-${matrix.period.from}-${matrix.period.to}.csv`, text));
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
        <table className="analysis-matrix" data-testid="analysis-matrix" data-split={split ? 'tier' : 'none'}>
          <caption>{t('analysis.matrixCaption', { from: matrix.period.from, to: matrix.period.to, prevFrom: matrix.previous.from, prevTo: matrix.previous.to })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('analysis.topic')}</th>
              {split && <th scope="col">{t('analysis.tier')}</th>}
              {types.map((ty) => (
                <th key={ty} scope="col">
                  {t(`voc.type.${ty}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ topic: tp, tier }, i) => {
              const name = topicName(tp.id, tp.name);
              const first = i === 0 || rows[i - 1]!.topic !== tp;
              const span = split ? rows.filter((r) => r.topic === tp).length : 1;
              const rowName = split ? `${name}, ${tierName(t, tier ?? null)}` : name;
              return (
                <tr key={`${tp.id ?? ''}|${tier ?? ''}`} className={split && first ? 'analysis-group-start' : undefined}>
                  {first && (
                    <th scope={split ? 'rowgroup' : 'row'} rowSpan={span}>
                      {name}
                      <TopicImprovementBadge topicId={tp.id} topic={name} />
                    </th>
                  )}
                  {split && (
                    <th scope="row" className="analysis-tier" data-testid="analysis-row-tier">
                      {tierName(t, tier ?? null)}
                    </th>
                  )}
                  {types.map((ty) => {
                    const c = cells.get(cellKey(tp.id, ty, tier));
                    const count = c?.count ?? 0;
                    const change = count - (c?.previous ?? 0);
                    const selected = open?.topic === (tp.id ?? '') && open.type === ty && open.tier === tierOf(tier);
                    return (
                      <td key={ty} className={`heat-${heatLevel(count, max)}`}>
                        <button
                          type="button"
                          className="analysis-cell"
                          data-testid="analysis-cell"
                          data-topic={tp.id ?? ''}
                          data-type={ty}
                          {...(split ? { 'data-tier': tierOf(tier) } : {})}
                          aria-pressed={selected}
                          onClick={() => dispatch(analysisCellChosen({ topic: tp.id ?? '', type: ty, ...(split ? { tier: tierOf(tier) } : {}) }))}
                        >
                          <span className="visually-hidden">{t('analysis.cellOf', { topic: rowName, type: t(`voc.type.${ty}`) })} </span>
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
  const title = t('analysis.cellOf', { topic: cell.tier ? `${topic}, ${tierName(t, cell.tier)}` : topic, type: t(`voc.type.${cell.type}`) });
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
              <th scope="col">{t('analysis.item.open')}</th>
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
                <td>
                  <ItemLinks item={i} />
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

type FigureRow = { id: string; label: string; value: (f: AnalysisSummary) => string };

/** The headline figures; split by tier, one more column per value tier (most items first). */
function FiguresPanel({ figures, period, split }: { figures: AnalysisFigures; period: AnalysisPeriod; split: boolean }) {
  const t = useT();
  const locale = useLocale();
  const departments = useAppSelector(selectDepartmentsById);
  const tiers = split ? figures.byTier : [];
  const rows: FigureRow[] = [
    { id: 'raised', label: t('analysis.raised'), value: (f) => formatNumber(locale, f.raised) },
    { id: 'want-slips', label: t('analysis.wantSlipShare'), value: (f) => percent(locale, f.wantSlipShare) },
    { id: 'reopen', label: t('analysis.reopenRate'), value: (f) => percent(locale, f.reopenRate) },
    { id: 'satisfaction', label: t('analysis.satisfaction'), value: (f) => `${percent(locale, f.satisfaction.rate)} (${t('analysis.answered', { n: formatNumber(locale, f.satisfaction.answered) })})` },
    { id: 'told-median', label: t('analysis.toldMedian'), value: (f) => duration(t, locale, f.raisedToTold.medianMinutes, false) },
    { id: 'told-p90', label: t('analysis.toldP90'), value: (f) => duration(t, locale, f.raisedToTold.p90Minutes, f.raisedToTold.beyondLastBucket) },
  ];
  const exportTiers = () => {
    const header = [t('analysis.figure'), t('analysis.all'), ...tiers.map((r) => tierName(t, r.tier))];
    void toCsv(header, rows.map((r) => [r.label, r.value(figures), ...tiers.map((x) => r.value(x))])).then((text) =>
      downloadCsv(`voc-figures-by-tier-${period.from}-${period.to}.csv`, text),
    );
  };
  return (
    <section className="analysis-figures" aria-labelledby="analysis-figures-heading" data-testid="analysis-figures">
      <h2 id="analysis-figures-heading">{t('analysis.figures')}</h2>
      <table className="analysis-table" data-testid="analysis-headline">
        {split && (
          <thead>
            <tr>
              <th scope="col">{t('analysis.figure')}</th>
              <th scope="col">{t('analysis.all')}</th>
              {tiers.map((r) => (
                <th key={r.tier ?? ''} scope="col" data-testid="analysis-tier-column">
                  {tierName(t, r.tier)}
                </th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.label}</th>
              <td data-testid={`figure-${r.id}`}>{r.value(figures)}</td>
              {tiers.map((x) => (
                <td key={x.tier ?? ''} data-testid={`figure-${r.id}-${x.tier ?? 'none'}`}>
                  {r.value(x)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {split && (
        <button type="button" data-testid="analysis-tiers-csv" onClick={exportTiers}>
          {t('analysis.exportTiers')}
        </button>
      )}
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
          <ScopeForm />
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
            <FiguresPanel figures={view.figures} period={view.matrix.period} split={view.matrix.split === 'tier'} />
            <WeeklyTrend figures={view.figures} period={view.matrix.period} />
            <RisingTopics figures={view.figures} period={view.matrix.period} topicName={topicName} />
            <OpenImprovementsPanel />
          </aside>
        )}
      </main>
    </div>
  );
}
