// A supervisor marks an agent's (current or last) call as great service with a line of why.
import { useEffect, useRef, useState } from 'react';
import { GREAT_SERVICE_WHY_MAX } from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { markClosed, markSubmitted, selectMarking, selectMarkResult } from './great-service-slice';

export function MarkGreatServiceDialog() {
  const t = useT();
  const dispatch = useAppDispatch();
  const marking = useAppSelector(selectMarking);
  const result = useAppSelector(selectMarkResult);
  const [why, setWhy] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (marking) {
      setWhy('');
      input.current?.focus();
    }
  }, [marking]);
  return (
    <>
      {marking && (
        <form
          role="dialog"
          aria-modal="true"
          aria-labelledby="mark-gs-title"
          className="force-dialog"
          data-testid="great-service-dialog"
          onKeyDown={(e) => e.key === 'Escape' && dispatch(markClosed())}
          onSubmit={(e) => {
            e.preventDefault();
            if (why.trim()) dispatch(markSubmitted({ ...marking, why: why.trim() }));
          }}
        >
          <h2 id="mark-gs-title">{t('greatService.dialogHeading', { name: marking.agent })}</h2>
          <label>
            {t('greatService.why')}
            <br />
            <textarea ref={input} rows={2} cols={50} maxLength={GREAT_SERVICE_WHY_MAX} value={why} onChange={(e) => setWhy(e.target.value)} data-testid="great-service-why" required />
          </label>
          <br />
          <button type="submit" data-testid="share-great-service" disabled={!why.trim()}>
            {t('greatService.share')}
          </button>
          <button type="button" onClick={() => dispatch(markClosed())}>
            {t('greatService.cancel')}
          </button>
        </form>
      )}
      <p role="status" data-testid="great-service-result">
        {result && (result.ok ? t('greatService.shared') : t('greatService.failed', { message: result.message ?? '' }))}
      </p>
    </>
  );
}
