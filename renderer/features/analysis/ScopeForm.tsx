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
      <ScopeSelect label={t('analysis.department')} name="department" value={scope.department} onChange={set('department')} options={departments.map((d) => [d.id, d.name])} />
      <ScopeSelect label={t('analysis.queue')} name="queue" value={scope.queue} onChange={set('queue')} options={queues.map((q) => [q, labels.queue(q)])} />
      <ScopeSelect label={t('analysis.channel')} name="channel" value={scope.channel} onChange={set('channel')} options={CHANNELS.map((c) => [c, t(`channel.${c}`)])} />
      <ScopeSelect label={t('analysis.tier')} name="tier" value={scope.tier} onChange={set('tier')} options={TIER_CHOICES.map((c) => [c, tierName(t, c)])} />
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

/** One of the scope's lists: "All" first, then its options ([value, name]). */
function ScopeSelect(props: { label: string; name: keyof Scope; value: string | undefined; onChange: (e: { target: { value: string } }) => void; options: ReadonlyArray<readonly [string, string]> }) {
  const t = useT();
  return (
    <label>
      {props.label}
      <select data-testid={`analysis-${props.name}`} value={props.value ?? ''} onChange={props.onChange}>
        <option value="">{t('analysis.all')}</option>
        {props.options.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A value tier's name; "none" (or null): no tier known. */
export function tierName(t: Translate, tier: string | null): string {
  if (tier === null || tier === 'none') return t('analysis.noTier');
  const known = Tier.safeParse(tier);
  return known.success ? t(`tier.${known.data}`) : tier;
}
