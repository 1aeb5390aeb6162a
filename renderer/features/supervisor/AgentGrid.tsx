// The agents grid: state, reason, time in state, queue and call; sortable, filterable, with force
// buttons that only ask (the confirmation dialog does the forcing).
import { memo, useState } from 'react';
import { AGENT_STATES } from '../../../shared/protocol/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useReferenceLabels } from '../../i18n/labels';
import { useT, type Translate } from '../../i18n/use-t';
import { reasonLabel } from '../agent-state/reason-label';
import { useElapsedText } from '../agent-state/elapsed';
import { renderProbe } from './render-probe';
import { forceAsked, selectAgent, selectAgentOrder, selectLastInteraction, type AgentListView } from './supervisor-slice';
import { markOpened } from '../great-service/great-service-slice';

type SortKey = AgentListView['sort'];

/** Counts up by itself, written by the shared clock: neither it nor its row re-renders every second. */
function TimeInState({ since }: { since: string }) {
  const ref = useElapsedText<HTMLSpanElement>(since);
  return <span ref={ref} />;
}

/**
 * One agent. The translator and queue names come from the grid (they change only with the language or
 * the queues), so a row subscribes to its own agent and nothing else: 200 rows, two pushes a second.
 */
const AgentRow = memo(function AgentRow({ id, t, queueLabel }: { id: string; t: Translate; queueLabel: (queueId: string) => string }) {
  const dispatch = useAppDispatch();
  const a = useAppSelector((s) => selectAgent(s, id));
  const lastInteraction = useAppSelector((s) => selectLastInteraction(s, id));
  renderProbe.onRow?.('agent', id);
  if (!a) return null;
  return (
    <tr role="row" data-testid="agent-row" data-agent={id} data-state={a.state}>
      <th scope="row" role="rowheader">{a.agent}</th>
      <td role="cell">{t(`agentState.state.${a.state}`)}</td>
      <td role="cell">{a.reason ? reasonLabel(t, a.reason) : ''}{a.forcedBy ? ` (${t('supervisor.forcedBy', { name: a.forcedBy })})` : ''}</td>
      <td role="cell">
        <TimeInState since={a.since} />
      </td>
      <td role="cell">{a.queue ? queueLabel(a.queue) : ''}</td>
      <td role="cell" data-testid="agent-customer">{a.customerName ?? (a.interactionId ? t('supervisor.onInteraction') : '')}</td>
      <td role="cell">
        <button type="button" data-testid="force-not-ready" disabled={a.state === 'not_ready' || a.state === 'offline'} onClick={() => dispatch(forceAsked({ agent: id, state: 'not_ready' }))}>
          {t('supervisor.forceNotReady')}
        </button>
        <button type="button" data-testid="force-offline" disabled={a.state === 'offline'} onClick={() => dispatch(forceAsked({ agent: id, state: 'offline' }))}>
          {t('supervisor.forceOffline')}
        </button>
        <button
          type="button"
          data-testid="mark-great-service"
          disabled={!lastInteraction}
          aria-label={t('supervisor.greatService.markFor', { name: id })}
          onClick={() => lastInteraction && dispatch(markOpened({ interactionId: lastInteraction, agent: id }))}
        >
          {t('supervisor.greatService.mark')}
        </button>
      </td>
    </tr>
  );
});

export function AgentGrid() {
  const t = useT();
  const labels = useReferenceLabels();
  const [sort, setSort] = useState<SortKey>('agent');
  const [stateFilter, setStateFilter] = useState<string>('');
  const [text, setText] = useState('');
  // Only the ordered ids: the grid re-renders when order or membership changes, not for every tick.
  const ids = useAppSelector((s) => selectAgentOrder(s, { sort, state: stateFilter, text }));

  return (
    <section className="agent-grid" aria-labelledby="agent-grid-heading">
      <h2 id="agent-grid-heading">{t('supervisor.agents')}</h2>
      <div className="agent-grid-controls">
        <label>
          {t('supervisor.filterText')} <input value={text} onChange={(e) => setText(e.target.value)} data-testid="agent-filter" />
        </label>
        <label>
          {t('supervisor.filterState')}{' '}
          <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value)} data-testid="agent-state-filter">
            <option value="">{t('supervisor.allStates')}</option>
            {AGENT_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`agentState.state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('supervisor.sortBy')}{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)} data-testid="agent-sort">
            <option value="agent">{t('supervisor.col.agent')}</option>
            <option value="state">{t('supervisor.col.state')}</option>
            <option value="since">{t('supervisor.col.timeInState')}</option>
          </select>
        </label>
      </div>
      {/* Explicit roles: supervisor.css lays these rows out as grid boxes, which must not cost the table its semantics. */}
      <table role="table">
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">{t('supervisor.col.agent')}</th>
            <th scope="col" role="columnheader">{t('supervisor.col.state')}</th>
            <th scope="col" role="columnheader">{t('supervisor.col.reason')}</th>
            <th scope="col" role="columnheader">{t('supervisor.col.timeInState')}</th>
            <th scope="col" role="columnheader">{t('supervisor.col.queue')}</th>
            <th scope="col" role="columnheader">{t('supervisor.col.customer')}</th>
            <th scope="col" role="columnheader">{t('supervisor.col.actions')}</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {ids.map((id) => (
            <AgentRow key={id} id={id} t={t} queueLabel={labels.queue} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
