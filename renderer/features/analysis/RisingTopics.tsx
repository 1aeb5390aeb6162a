// The topics rising most: this period's count against the previous period's, ranked by the increase,
// only topics with at least the center's minimum count this period (so one or two items do not
// rank). The rule is said beside the heading (a tooltip, and to screen readers as the list's
// description); the list exports as CSV like the other tables.
import type { AnalysisFigures, AnalysisPeriod } from '../../../shared/api/analysis';
import { formatNumber } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { downloadCsv, toCsv } from './csv';

export function RisingTopics({ figures, period, topicName }: { figures: AnalysisFigures; period: AnalysisPeriod; topicName: (id: string | null, fallback: string) => string }) {
  const t = useT();
  const locale = useLocale();
  const { rising, risingRule } = figures;
  const rule = t('analysis.risingRule', { min: formatNumber(locale, risingRule.minCount), limit: formatNumber(locale, risingRule.limit) });
  const exportCsv = () => {
    const header = [t('analysis.csv.topicId'), t('analysis.topic'), t('analysis.thisPeriod'), t('analysis.csv.previous'), t('analysis.increase')];
    void toCsv(header, rising.map((r) => [r.topicId ?? '', topicName(r.topicId, r.topicId ?? ''), r.count, r.previous, r.change])).then((text) =>
      downloadCsv(`voc-rising-${period.from}-${period.to}.csv`, text),
    );
  };
  return (
    <section aria-labelledby="analysis-rising-heading" data-testid="analysis-rising">
      <h3 id="analysis-rising-heading">
        {t('analysis.rising')}{' '}
        <span className="analysis-hint" title={rule} data-testid="analysis-rising-rule" aria-hidden="true">
          ⓘ
        </span>
      </h3>
      <p id="analysis-rising-rule" className="analysis-rule muted">
        {rule}
      </p>
      {rising.length === 0 ? (
        <p className="muted" data-testid="analysis-rising-none">
          {t('analysis.noRising', { min: formatNumber(locale, risingRule.minCount) })}
        </p>
      ) : (
        <>
          <table className="analysis-table" data-testid="analysis-rising-table" aria-describedby="analysis-rising-rule">
            <thead>
              <tr>
                <th scope="col">{t('analysis.topic')}</th>
                <th scope="col">{t('analysis.thisPeriod')}</th>
                <th scope="col">{t('analysis.before')}</th>
                <th scope="col">{t('analysis.increase')}</th>
              </tr>
            </thead>
            <tbody>
              {rising.map((r) => (
                <tr key={r.topicId ?? ''} data-testid="analysis-rising-row">
                  <th scope="row">{topicName(r.topicId, r.topicId ?? '')}</th>
                  <td>{formatNumber(locale, r.count)}</td>
                  <td>{formatNumber(locale, r.previous)}</td>
                  <td>+{formatNumber(locale, r.change)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" data-testid="analysis-rising-csv" onClick={exportCsv}>
            {t('analysis.exportRising')}
          </button>
        </>
      )}
    </section>
  );
}
