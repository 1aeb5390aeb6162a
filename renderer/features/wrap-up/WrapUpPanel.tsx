// After-call work: the queue's disposition codes, time elapsed (counting up, never a countdown) and
// Done, which ends wrap-up and returns the agent to available. Notes are not here: they stay open.
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectAgentState } from '../agent-state/agent-state-slice';
import { formatElapsed, useElapsedSeconds } from '../agent-state/elapsed';
import { shortcutKeys } from '../shortcuts/shortcut-keys';
import { DispositionSelect } from './DispositionSelect';
import { dispositionChosen, selectWrapUp, wrapUpDoneRequested } from './wrap-up-slice';

export function WrapUpPanel() {
  const t = useT();
  const dispatch = useAppDispatch();
  const agentState = useAppSelector(selectAgentState);
  const wrapUp = useAppSelector(selectWrapUp);
  const inWrapUp = agentState?.state === 'wrap_up' && agentState.interactionId === wrapUp.interactionId;
  const elapsed = useElapsedSeconds(inWrapUp ? agentState.since : null);
  if (!inWrapUp) return null;

  const queue = wrapUp.queue;
  const required = queue?.dispositionRequired ?? false;
  const keys = shortcutKeys('finishWrapUp');
  return (
    <section data-testid="wrap-up" className="wrap-up" aria-label={t('wrapUp.label')}>
      <h2>{t('wrapUp.label')}</h2>
      {elapsed !== null && <p className="wrap-up-elapsed">{t('wrapUp.elapsed', { time: formatElapsed(elapsed) })}</p>}
      {queue && <DispositionSelect queue={queue} value={wrapUp.disposition} onChange={(code) => dispatch(dispositionChosen(code))} testId="wrap-up-disposition" invalid={wrapUp.missingDisposition} />}
      {queue === null && <p className="wrap-up-note">{t('wrapUp.codesUnavailable')}</p>}
      <button
        type="button"
        data-testid="wrap-up-done"
        title={t('call.withShortcut', { label: t('wrapUp.done'), keys })}
        aria-keyshortcuts={keys}
        disabled={wrapUp.submitting || (required && !wrapUp.disposition)}
        onClick={() => dispatch(wrapUpDoneRequested())}
      >
        {wrapUp.submitting ? t('wrapUp.finishing') : t('wrapUp.done')}
      </button>
      <p className="wrap-up-note">{t('wrapUp.notesStayOpen')}</p>
      {wrapUp.missingDisposition && (
        <p role="alert" className="wrap-up-error">
          {t('wrapUp.chooseDisposition')}
        </p>
      )}
      {wrapUp.savedOffline && <p role="status">{t('wrapUp.savedOffline')}</p>}
      {wrapUp.error && (
        <p role="alert" className="wrap-up-error">
          {t('wrapUp.failed', { message: wrapUp.error })}
        </p>
      )}
    </section>
  );
}
