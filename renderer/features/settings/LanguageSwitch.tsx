// Lets the agent choose the UI language (it starts from the browser/OS locale).
import { useAppDispatch } from '../../app/hooks';
import { LOCALE_NAMES, LOCALES } from '../../i18n/index';
import { localeChanged } from '../../i18n/locale-slice';
import { useLocale, useT } from '../../i18n/use-t';

export function LanguageSwitch() {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('settings.language')}</span>
      <select
        data-testid="language-switch"
        aria-label={t('settings.language')}
        value={locale}
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
    </label>
  );
}
