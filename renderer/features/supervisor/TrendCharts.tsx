// Today's service level and average wait to answer per 15-minute bucket, one line per queue, drawn
// with uPlot (canvas). uPlot is loaded only where a canvas can draw (not in jsdom tests); the
// figures are also given as a data attribute and a text summary for tests and screen readers.
import { memo, useMemo, useRef } from 'react';
import type uPlotType from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useAppSelector } from '../../app/hooks';
import { useUPlot } from '../../components/use-uplot';
import { useReferenceLabels } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { selectTrendChart, selectTrendsError } from './supervisor-slice';

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

export { canvasAvailable } from '../../components/use-uplot';

type Series = Array<Array<number | null>>;
const BUCKET_SEC = 15 * 60;

/** `queues`: the series' names, in the UI's language (a new set of names draws the chart anew). */
const Chart = memo(function Chart({ id, title, xs, queues, series, max }: { id: string; title: string; xs: number[]; queues: readonly string[]; series: Series; max?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const data = useMemo(() => [xs, ...series] as uPlotType.AlignedData, [xs, series]);
  // A new chart only when the set of queues (or the fixed scale) changes; new figures are handed to it.
  const drawn = useUPlot(
    box,
    (_UPlot, target) => ({
      width: Math.max(320, Math.min(900, target.clientWidth || 640)),
      height: 180,
      // A bucket is drawn at its start and spans 15 minutes: the x range always covers the last one whole.
      scales: { x: { time: true, range: (_u, min, max) => [min, max + BUCKET_SEC] }, y: max === undefined ? { auto: true } : { range: [0, max] } },
      // Points as well as lines: early in the day a queue has a single bucket, which a line cannot show.
      series: [{}, ...queues.map((q, i) => ({ label: q, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: false, points: { show: true, size: 5 } }))],
      axes: [{}, { size: 44 }],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
    }),
    data,
    `${queues.join('|')}|${max ?? ''}`,
  );

  const points = series.reduce((n, s) => n + s.filter((v) => v !== null).length, 0);
  return (
    <figure className="trend-chart" data-testid={`trend-${id}`} data-points={points} data-drawn={drawn ? 'yes' : 'no'}>
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={title} />
    </figure>
  );
});

export function TrendCharts() {
  const t = useT();
  const data = useAppSelector(selectTrendChart);
  const error = useAppSelector(selectTrendsError);
  const labels = useReferenceLabels();
  const names = useMemo(() => data.queues.map((q) => labels.queue(q)), [data.queues, labels]);
  return (
    <section className="trend-charts" aria-labelledby="trend-heading" data-testid="trend-charts">
      <h2 id="trend-heading">{t('supervisor.trends.heading')}</h2>
      {error && <p className="muted" role="status">{t('supervisor.trends.failed', { message: error })}</p>}
      {data.xs.length === 0 ? (
        <p className="muted">{t('supervisor.trends.none')}</p>
      ) : (
        <div className="trend-chart-row">
          <Chart id="service-level" title={t('supervisor.trends.serviceLevel')} xs={data.xs} queues={names} series={data.serviceLevel} max={100} />
          <Chart id="asa" title={t('supervisor.trends.asa')} xs={data.xs} queues={names} series={data.asaSec} />
        </div>
      )}
    </section>
  );
}
