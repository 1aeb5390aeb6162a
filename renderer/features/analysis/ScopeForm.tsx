// What the analysis reads: the period (days, inclusive) and the scope — one department, queue,
// channel or value tier, or all of them — and whether the matrix and the figures are split by value
// tier ("are our VIPs complaining about something else?"). The lists are the tenant's own (the
// departments and queues this desktop has from the center); the center checks them again and says
// why it refuses one it does not know.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { AnalysisRequest } from '../../../shared/api/analysis';
import { CHANNELS, Tier } from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useReferenceLabels } from '../../i18n/labels';
import { useT, type Translate } from '../../i18n/use-t';
import { selectDepartments, selectQueuesById } from '../voc/reference-slice';
import { analysisPeriodChosen, selectAnalysis } from './analysis-slice';

type Scope = Pick<AnalysisRequest, 'department' | 'queue' | 'channel' | 'tier'>;
type Channel = NonNullable<AnalysisRequest['channel']>;
type TierChoice = NonNullable<AnalysisRequest['tier']>;

export const TIER_CHOICES: readonly TierChoice[] = [...Tier.options, 'none'];

/** A select's value as the request's (empty: all). */
const chosen = <T extends string>(v: string): T | undefined => (v === '' ? undefined : (v as T));
const defined = (r: AnalysisRequest): AnalysisRequest => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== '')) as AnalysisRequest;

export function ScopeForm() {
  const t = useT();
  const dispatch = useAppDispatch();
  const labels = useReferenceLabels();
  const { view, status, request } = useAppSelector(selectAnalysis);
  const departments = useAppSelector(selectDepartments);
  const queuesById = useAppSelector(selectQueuesById);
  const queues = useMemo(() => [...queuesById.keys()].sort((a, b) => labels.queue(a).localeCompare(labels.queue(b))), [queuesById, labels]);
  const shown = view?.matrix.period;
  const [from, setFrom] = useState(shown?.from ?? '');
  const [to, setTo] = useState(shown?.to ?? '');
  const [scope, setScope] = useState<Scope>({ department: request.department, queue: request.queue, channel: request.channel, tier: request.tier });
  // The center fills in the default period: the fields follow what it answered.
  useEffect(() => {
    if (shown) {
      setFrom(shown.from);
      setTo(shown.to);
    }
  }, [shown]);
  const ask = (split: boolean) => dispatch(analysisPeriodChosen(defined({ from, to, ...scope, ...(split ? { split: 'tier' } : {}) })));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask(request.split === 'tier');
  };
  const set = (k: keyof Scope) => (e: { target: { value: string } }) => setScope((s) => ({ ...s, [k]: chosen(e.target.value) }));
  return (
    <form className="analysis-period" onSubmit={submit} aria-label={t('analysis.scope')}>
      <label>
        {t('analysis.from')}
        <input type="date" data-testid="analysis-from" value={from} required onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        {t('analysis.to')}
        <input type="date" data-testid="analysis-to" value={to} required onChange={(e) => setTo(e.target.value)} />
      </label>
      <label>
        {t('analysis.department')}
        <select data-testid="analysis-department" value={scope.department ?? ''} onChange={set('department')}>
          <option value="">{t('analysis.all')}</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('analysis.queue')}
        <select data-testid="analysis-queue" value={scope.queue ?? ''} onChange={set('queue')}>
          <option value="">{t('analysis.all')}</option>
          {queues.map((q) => (
            <option key={q} value={q}>
              {labels.queue(q)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('analysis.channel')}
        <select data-testid="analysis-channel" value={scope.channel ?? ''} onChange={set('channel')}>
          <option value="">{t('analysis.all')}</option>
          {CHANNELS.map((c: Channel) => (
            <option key={c} value={c}>
              {t(`channel.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('analysis.tier')}
        <select data-testid="analysis-tier" value={scope.tier ?? ''} onChange={set('tier')}>
          <option value="">{t('analysis.all')}</option>
          {TIER_CHOICES.map((c) => (
            <option key={c} value={c}>
              {tierName(t, c)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid="analysis-show" disabled={status === 'loading'}>
        {t('analysis.show')}
      </button>
      <label className="analysis-split">
        <input type="checkbox" data-testid="analysis-split" checked={request.split === 'tier'} disabled={status === 'loading'} onChange={(e) => ask(e.target.checked)} />
        {t('analysis.splitByTier')}
      </label>
    </form>
  );
}

/** A value tier's name; "none" (or null): no tier known. */
export function tierName(t: Translate, tier: string | null): string {
  if (tier === null || tier === 'none') return t('analysis.noTier');
  const known = Tier.safeParse(tier);
  return known.success ? t(`tier.${known.data}`) : tier;
}
