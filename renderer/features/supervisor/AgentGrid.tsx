// The agents grid: state, reason, time in state, queue and call; sortable, filterable, with force
// buttons that only ask (the confirmation dialog does the forcing).
import { memo, useState } from 'react';
import { shallowEqual } from 'react-redux';
import { AGENT_STATES } from '../../../shared/protocol/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useReferenceLabels } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { reasonLabel } from '../agent-state/reason-label';
import { formatElapsed, useElapsedSeconds } from '../agent-state/elapsed';
import { renderProbe } from './render-probe';
import { forceAsked, selectAgent, selectAgentMap, selectLastInteraction } from './supervisor-slice';
import { markOpened } from '../great-service/great-service-slice';

type SortKey = 'agent' | 'state' | 'since';

/** Counts up by itself, so the row around it does not re-render every second. */
function TimeInState({ since }: { since: string }) {
  const elapsed = useElapsedSeconds(since);
  return <>{formatElapsed(elapsed ?? 0)}</>;
}

const AgentRow = memo(function AgentRow({ id }: { id: string }) {
  const t = useT();
  const labels = useReferenceLabels();
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
      <td role="cell">{a.queue ? labels.queue(a.queue) : ''}</td>
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
  const [sort, setSort] = useState<SortKey>('agent');
  const [stateFilter, setStateFilter] = useState<string>('');
  const [text, setText] = useState('');
  // Only the ordered ids: the grid re-renders when order or membership changes, not for every tick.
  const ids = useAppSelector((s) => {
    const needle = text.trim().toLowerCase();
    return Object.values(selectAgentMap(s))
      .filter((a) => (!stateFilter || a.state === stateFilter) && (!needle || a.agent.toLowerCase().includes(needle) || (a.queue ?? '').toLowerCase().includes(needle) || (a.customerName ?? '').toLowerCase().includes(needle)))
      .sort((x, y) => (sort === 'since' ? x.since.localeCompare(y.since) : sort === 'state' ? x.state.localeCompare(y.state) || x.agent.localeCompare(y.agent) : x.agent.localeCompare(y.agent)))
      .map((a) => a.agent);
  }, shallowEqual);

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
            <AgentRow key={id} id={id} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
