// Confirmation before forcing an agent's state, and the outcome afterwards (a force is visible to
// the agent at once, so it must never happen on a single misclick).
import { useEffect, useRef } from 'react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { forceCancelled, forceConfirmed, selectForceAsk, selectForceResult } from './supervisor-slice';

export function ForceDialog() {
  const t = useT();
  const dispatch = useAppDispatch();
  const ask = useAppSelector(selectForceAsk);
  const result = useAppSelector(selectForceResult);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (ask) cancelRef.current?.focus();
  }, [ask]);

  return (
    <>
      {ask && (
        <div role="dialog" aria-modal="true" aria-labelledby="force-dialog-title" className="force-dialog" onKeyDown={(e) => e.key === 'Escape' && dispatch(forceCancelled())}>
          <p id="force-dialog-title">{t(ask.state === 'offline' ? 'supervisor.confirmOffline' : 'supervisor.confirmNotReady', { name: ask.agent })}</p>
          <button type="button" data-testid="confirm-force" onClick={() => dispatch(forceConfirmed())}>
            {t('supervisor.confirm')}
          </button>
          <button type="button" ref={cancelRef} onClick={() => dispatch(forceCancelled())}>
            {t('supervisor.cancel')}
          </button>
        </div>
      )}
      <p role="status" data-testid="force-result">
        {result &&
          (result.outcome === 'failed'
            ? t('supervisor.forceFailed', { name: result.agent, message: result.message ?? '' })
            : t(result.outcome === 'pending' ? 'supervisor.forcePending' : 'supervisor.forceApplied', { name: result.agent }))}
      </p>
    </>
  );
}
