// Lets the agent choose the UI language (it starts from the browser/OS locale). When IT set the
// language by policy the switch is shown locked, saying so.
import { useId } from 'react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { LOCALE_NAMES, LOCALES } from '../../i18n/index';
import { localeChanged } from '../../i18n/locale-slice';
import { useLocale, useT } from '../../i18n/use-t';
import { selectLanguageSetting } from './settings-slice';

export function LanguageSwitch() {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const locked = useAppSelector(selectLanguageSetting)?.locked ?? false;
  const lockId = useId();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('settings.language')}</span>
      <select
        data-testid="language-switch"
        aria-label={t('settings.language')}
        value={locale}
        disabled={locked}
        aria-describedby={locked ? lockId : undefined}
        title={locked ? t('settings.lockedByPolicy') : undefined}
        onChange={(e) => {
          const chosen = LOCALES.find((l) => l === e.target.value);
          if (chosen) dispatch(localeChanged(chosen));
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
      {locked && (
        <span id={lockId} className="visually-hidden">
          {t('settings.lockedByPolicy')}
        </span>
      )}
    </label>
  );
}
