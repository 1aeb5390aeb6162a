// The sign-in form shown until the desktop reports a signed-in agent.
import { useState, type FormEvent } from 'react';
import { PASSWORD_MAX_CHARS, TENANT_MAX_CHARS, USERNAME_MAX_CHARS } from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectSessionEndedBecause, selectSessionError, selectSessionStatus, signInRequested } from './session-slice';

export function SignInForm() {
  const t = useT();
  const dispatch = useAppDispatch();
  const status = useAppSelector(selectSessionStatus);
  const error = useAppSelector(selectSessionError);
  const ended = useAppSelector(selectSessionEndedBecause);
  const [tenant, setTenant] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const busy = status === 'signingIn';

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    dispatch(signInRequested({ tenant: tenant.trim(), username: username.trim(), password }));
  }

  return (
    <main className="sign-in-page">
      <form data-testid="sign-in" className="sign-in" onSubmit={submit} aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">{t('signIn.heading')}</h1>
        {ended && (
          <p role="status" className="notice" data-testid="session-ended">
            {t(ended === 'signedOut' ? 'signIn.signedOut' : ended === 'idle' ? 'signIn.idleSignedOut' : 'signIn.sessionEnded')}
          </p>
        )}
        <label>
          {t('signIn.tenant')}
          <input name="tenant" required maxLength={TENANT_MAX_CHARS} autoComplete="organization" value={tenant} onChange={(e) => setTenant(e.target.value)} />
        </label>
        <label>
          {t('signIn.username')}
          <input name="username" required maxLength={USERNAME_MAX_CHARS} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" required maxLength={PASSWORD_MAX_CHARS} autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p role="alert" className="error">
            {t('signIn.failed', { message: error })}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
