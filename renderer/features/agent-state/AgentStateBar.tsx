// The agent's state in the agent bar: state, reason, time in state (counting up), who forced it,
// and the agent's own choices (available; not ready with a reason).
import { useState } from 'react';
import { NOT_READY_REASONS } from '../../../shared/api/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import type { MessageKey } from '../../i18n/index';
import { useT } from '../../i18n/use-t';
import { agentStateRequested, isCallState, selectAgentState, selectAgentStateError, selectAgentStateSubmitting } from './agent-state-slice';
import { formatElapsed, useElapsedSeconds } from './elapsed';
import { reasonLabel } from './reason-label';

type Reason = (typeof NOT_READY_REASONS)[number];
const isKnownReason = (r: string): r is Reason => (NOT_READY_REASONS as readonly string[]).includes(r);

export function AgentStateBar() {
  const t = useT();
  const dispatch = useAppDispatch();
  const current = useAppSelector(selectAgentState);
  const submitting = useAppSelector(selectAgentStateSubmitting);
  const error = useAppSelector(selectAgentStateError);
  const elapsed = useElapsedSeconds(current?.since ?? null);
  const [reason, setReason] = useState<Reason>('break');

  const stateName = current ? t(`agentState.state.${current.state}` as MessageKey) : t('agentState.state.unknown');
  const reasonName = current?.reason ? reasonLabel(t, current.reason) : null;
  const canChoose = !current || !isCallState(current.state);

  return (
    <div className="agent-state" role="group" aria-label={t('agentState.label')}>
      <span data-testid="agent-state" data-state={current?.state ?? 'unknown'} className={`agent-state-name state-${current?.state ?? 'unknown'}`}>
        {stateName}
      </span>
      {reasonName && (
        <span data-testid="agent-state-reason" className="agent-state-reason">
          {reasonName}
        </span>
      )}
      {elapsed !== null && (
        <time data-testid="agent-state-elapsed" className="agent-state-elapsed" title={t('agentState.timeInState')} aria-label={t('agentState.timeInState')}>
          {formatElapsed(elapsed)}
        </time>
      )}
      {current?.forcedBy && (
        <span data-testid="agent-state-forced" className="agent-state-forced">
          {t('agentState.forcedBy', { name: current.forcedBy })}
        </span>
      )}
      {canChoose && (
        <span className="agent-state-choices">
          <button
            type="button"
            data-testid="agent-state-available"
            disabled={submitting || current?.state === 'available'}
            onClick={() => dispatch(agentStateRequested({ state: 'available' }))}
          >
            {t('agentState.setAvailable')}
          </button>
          <select
            data-testid="agent-state-reason-choice"
            aria-label={t('agentState.reasonLabel')}
            value={reason}
            onChange={(e) => {
              if (isKnownReason(e.target.value)) setReason(e.target.value);
            }}
          >
            {NOT_READY_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`agentState.reason.${r}`)}
              </option>
            ))}
          </select>
          <button
            type="button"
            data-testid="agent-state-not-ready"
            disabled={submitting || (current?.state === 'not_ready' && current.reason === reason)}
            onClick={() => dispatch(agentStateRequested({ state: 'not_ready', reason }))}
          >
            {t('agentState.setNotReady')}
          </button>
        </span>
      )}
      {current?.pending && (
        <span role="status" data-testid="agent-state-pending" className="agent-state-pending">
          {t('agentState.pendingOffline')}
        </span>
      )}
      {error && (
        <span role="alert" className="agent-state-error">
          {t('agentState.failed', { message: error })}
        </span>
      )}
    </div>
  );
}
