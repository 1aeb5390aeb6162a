// The call's controls, shown per state (answer when ringing; hold or resume, transfer, hang up on
// the call), each with its keyboard shortcut in the tooltip.
import { useEffect, useRef } from 'react';
import { TRANSFER_TARGET_MAX_CHARS } from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import type { MessageKey } from '../../i18n/index';
import { useT } from '../../i18n/use-t';
import { selectAgentState } from '../agent-state/agent-state-slice';
import { shortcutKeys, type CallShortcut } from '../shortcuts/shortcut-keys';
import {
  callActionsFor,
  callControlRequested,
  selectCallControls,
  transferClosed,
  transferOpened,
  transferTargetChanged,
  type CallAction,
} from './call-controls-slice';

const BUTTONS: Record<CallAction, { label: MessageKey; shortcut: CallShortcut }> = {
  answer: { label: 'call.answer', shortcut: 'answerCall' },
  hold: { label: 'call.hold', shortcut: 'holdCall' },
  resume: { label: 'call.resume', shortcut: 'resumeCall' },
  transfer: { label: 'call.transfer', shortcut: 'transferCall' },
  hangup: { label: 'call.hangup', shortcut: 'hangUpCall' },
};

export function CallControls() {
  const t = useT();
  const dispatch = useAppDispatch();
  const agentState = useAppSelector(selectAgentState);
  const { inFlight, transferOpen, transferTarget, error } = useAppSelector(selectCallControls);
  const targetRef = useRef<HTMLInputElement>(null);
  const actions = callActionsFor(agentState?.state);

  useEffect(() => {
    if (transferOpen) targetRef.current?.focus();
  }, [transferOpen]);

  if (actions.length === 0) return null;
  return (
    <section className="call-controls" aria-label={t('call.label')}>
      {actions.map((action) => {
        const { label, shortcut } = BUTTONS[action];
        const keys = shortcutKeys(shortcut);
        return (
          <button
            key={action}
            type="button"
            data-testid={`call-${action}`}
            title={t('call.withShortcut', { label: t(label), keys })}
            aria-keyshortcuts={keys}
            disabled={inFlight !== null}
            onClick={() => dispatch(action === 'transfer' ? transferOpened() : callControlRequested({ action }))}
          >
            {t(label)}
          </button>
        );
      })}
      {transferOpen && (
        <form
          className="call-transfer-form"
          onSubmit={(e) => {
            e.preventDefault();
            const target = transferTarget.trim();
            if (target) dispatch(callControlRequested({ action: 'transfer', target }));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') dispatch(transferClosed());
          }}
        >
          <label>
            {t('call.transferTarget')}
            <input
              ref={targetRef}
              data-testid="call-transfer-target"
              value={transferTarget}
              maxLength={TRANSFER_TARGET_MAX_CHARS}
              onChange={(e) => dispatch(transferTargetChanged(e.target.value))}
            />
          </label>
          <button type="submit" data-testid="call-transfer-confirm" disabled={!transferTarget.trim() || inFlight !== null}>
            {t('call.transferConfirm')}
          </button>
          <button type="button" onClick={() => dispatch(transferClosed())}>
            {t('call.transferCancel')}
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="call-error">
          {t('call.failed', { message: error })}
        </p>
      )}
    </section>
  );
}
