// The weekly trend of each VOC type over the period, drawn with uPlot as the floor's trends are
// (loaded only where a canvas can draw); the same figures as a table (for screen readers, for
// reading exact counts) and as CSV. Weeks start on Monday; the first and last may be partial.
import { memo, useMemo, useRef } from 'react';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AnalysisFigures, AnalysisPeriod } from '../../../shared/api/analysis';
import { VOC_TYPES, type VocType } from '../../../shared/domain/index';
import { formatNumber } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { useUPlot } from '../../components/use-uplot';
import { downloadCsv, toCsv } from './csv';

/** One colour per type, told apart by colour-blind readers too (the Okabe–Ito palette); the legend names them. */
const COLOURS: Record<VocType, string> = { inquiry: '#0072b2', complaint: '#d55e00', praise: '#009e73', suggestion: '#cc79a7', want_slip: '#e69f00' };

type Weekly = AnalysisFigures['weekly'];

/** `names`: the week's, then each type's, in the UI's language (new names draw the chart anew). */
const Chart = memo(function Chart({ weekly, names, title }: { weekly: Weekly; names: readonly string[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const data = useMemo(() => [weekly.map((w) => Date.parse(`${w.week}T00:00:00Z`) / 1000), ...VOC_TYPES.map((ty) => weekly.map((w) => w[ty]))] as uPlotType.AlignedData, [weekly]);
  // A new chart when the names change (the language); new figures are handed to it.
  const drawn = useUPlot(
    box,
    (UPlot, target) => ({
      width: Math.max(280, Math.min(900, target.clientWidth || 480)),
      height: 190,
      // Weeks are dates: read in UTC, so a Monday never shows as the Sunday before.
      tzDate: (ts) => UPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [{ label: names[0] }, ...VOC_TYPES.map((ty, i) => ({ label: names[i + 1], stroke: COLOURS[ty], width: 1.5, points: { show: true, size: 5 } }))],
      axes: [{}, { size: 44 }],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
    }),
    data,
    names.join('|'),
  );

  return <div ref={box} className="analysis-chart" role="img" aria-label={title} data-testid="analysis-trend-chart" data-drawn={drawn ? 'yes' : 'no'} />;
});

export function WeeklyTrend({ figures, period }: { figures: AnalysisFigures; period: AnalysisPeriod }) {
  const t = useT();
  const locale = useLocale();
  const names = useMemo(() => VOC_TYPES.map((ty) => t(`voc.type.${ty}`)), [t]);
  const weekly = figures.weekly;
  const chartNames = useMemo(() => [t('analysis.week'), ...names], [t, names]);
  const exportCsv = () => {
    const header = [t('analysis.week'), ...names];
    void toCsv(header, weekly.map((w) => [w.week, ...VOC_TYPES.map((ty) => w[ty])])).then((text) => downloadCsv(`voc-trend-${period.from}-${period.to}.csv`, text));
  };
  const title = t('analysis.trend');
  return (
    <section aria-labelledby="analysis-trend-heading" data-testid="analysis-trend">
      <h3 id="analysis-trend-heading">{title}</h3>
      {weekly.length === 0 ? (
        <p className="muted">{t('analysis.empty')}</p>
      ) : (
        <>
          <Chart weekly={weekly} names={chartNames} title={t('analysis.trendChart', { from: period.from, to: period.to })} />
          <details className="analysis-details">
            <summary>{t('analysis.asTable')}</summary>
            <table className="analysis-table" data-testid="analysis-trend-table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('analysis.week')}</th>
                  {names.map((n) => (
                    <th key={n} scope="col">
                      {n}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weekly.map((w) => (
                  <tr key={w.week}>
                    <th scope="row">{w.week}</th>
                    {VOC_TYPES.map((ty) => (
                      <td key={ty}>{formatNumber(locale, w[ty])}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          <button type="button" data-testid="analysis-trend-csv" onClick={exportCsv}>
            {t('analysis.exportTrend')}
          </button>
        </>
      )}
    </section>
  );
}
