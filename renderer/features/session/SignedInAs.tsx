// Who is signed in, and signing out — on every role's screen. When changes have not reached the
// center yet the agent is told and chooses: wait for them, sign out now (they stay on this computer
// and are sent at their next sign-in), or stay.
import { useId } from 'react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useDialogFocus } from '../../components/use-dialog-focus';
import { useT } from '../../i18n/use-t';
import { selectSignOut, selectUser, signOutCancelled, signOutRequested } from './session-slice';

export function SignedInAs() {
  const t = useT();
  const dispatch = useAppDispatch();
  const user = useAppSelector(selectUser);
  const signOut = useAppSelector(selectSignOut);
  const choosing = signOut.phase === 'changesWaiting';
  const firstChoice = useDialogFocus<HTMLButtonElement>(choosing);
  const ids = useId();
  if (!user) return null;
  const role = user.takesCalls && user.role !== 'agent' ? `${t(`session.role.${user.role}`)} · ${t('session.takesCalls')}` : t(`session.role.${user.role}`);
  return (
    <div className="signed-in-as" data-testid="signed-in-as">
      <span className="agent-name" data-testid="agent-name" title={t('session.signedInAs', { name: user.displayName, username: user.username, role })}>
        {user.displayName}
      </span>
      <span className="muted signed-in-role">{role}</span>
      {signOut.phase === 'waiting' ? (
        <span role="status" className="signing-out" data-testid="sign-out-waiting">
          {t('session.waiting', { count: signOut.pending })}{' '}
          <button type="button" onClick={() => dispatch(signOutRequested({ whenChangesWait: 'now' }))}>
            {t('session.changesWaiting.now')}
          </button>
        </span>
      ) : (
        <button type="button" data-testid="sign-out" disabled={signOut.phase === 'asking'} onClick={() => dispatch(signOutRequested({ whenChangesWait: 'ask' }))}>
          {signOut.phase === 'asking' ? t('session.signingOut') : t('session.signOut')}
        </button>
      )}
      {signOut.error && (
        <span role="alert" className="error">
          {t('session.signOutFailed', { message: signOut.error })}
        </span>
      )}
      {choosing && (
        <div className="backdrop">
          <div
            role="alertdialog"
            aria-modal="true"
            aria-labelledby={`${ids}-heading`}
            aria-describedby={`${ids}-body`}
            data-testid="sign-out-changes-waiting"
            className="dialog"
            onKeyDown={(e) => {
              if (e.key === 'Escape') dispatch(signOutCancelled());
            }}
          >
            <h2 id={`${ids}-heading`}>{t('session.changesWaiting.heading')}</h2>
            <p id={`${ids}-body`}>{t('session.changesWaiting.body', { count: signOut.pending })}</p>
            <div className="dialog-actions">
              <button type="button" ref={firstChoice} onClick={() => dispatch(signOutRequested({ whenChangesWait: 'wait' }))}>
                {t('session.changesWaiting.wait')}
              </button>
              <button type="button" onClick={() => dispatch(signOutRequested({ whenChangesWait: 'now' }))}>
                {t('session.changesWaiting.now')}
              </button>
              <button type="button" onClick={() => dispatch(signOutCancelled())}>
                {t('session.changesWaiting.cancel')}
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
