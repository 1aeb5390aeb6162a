// The settings page: the agent's own preferences (language, call notifications, center address,
// organisation), and what IT manages. A key IT set by policy is shown locked: disabled, with
// "Set by your IT department" as its accessible description.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useDialogFocus } from '../../components/use-dialog-focus';
import { settingSchemas, type DesktopSettings, type UserEditableKey } from '../../../shared/api/settings';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { LOCALE_NAMES, LOCALES, type MessageKey } from '../../i18n/index';
import { useT } from '../../i18n/use-t';
import {
  selectSettingErrors,
  selectSettingSaved,
  selectSettingSaving,
  selectSettingsLoadError,
  selectSettingsOpen,
  selectSettingsView,
  settingChangeRequested,
  settingsClosed,
  settingsOpened,
} from './settings-slice';

type Entry = DesktopSettings['settings'][keyof DesktopSettings['settings']];

/** The agent bar's button, and the dialog it opens. */
export function SettingsButton() {
  const t = useT();
  const dispatch = useAppDispatch();
  return (
    <>
      <button type="button" className="settings-button" data-testid="settings-open" onClick={() => dispatch(settingsOpened())}>
        {t('settings.open')}
      </button>
      <SettingsDialog />
    </>
  );
}

/** One row: the control, its lock or "next start" note, and the outcome of the last change. */
function SettingRow(props: { entry: Entry; settingKey: UserEditableKey | null; nextStart?: boolean; children: (describedBy: string | undefined) => ReactNode }) {
  const t = useT();
  const id = useId();
  const saving = useAppSelector(selectSettingSaving);
  const saved = useAppSelector(selectSettingSaved);
  const errors = useAppSelector(selectSettingErrors);
  const key = props.settingKey;
  const error = key ? errors[key] : undefined;
  const notes: Array<[string, string]> = [];
  if (props.entry.locked) notes.push([`${id}-locked`, t('settings.lockedByPolicy')]);
  else if (props.nextStart && props.entry.editable) notes.push([`${id}-next`, t('settings.nextStart')]);
  const describedBy = notes.map(([noteId]) => noteId).join(' ') || undefined;
  return (
    <div className={`setting-row${props.entry.locked ? ' locked' : ''}`} data-testid={`setting-${key ?? 'managed'}`}>
      {props.children(describedBy)}
      {notes.map(([noteId, text]) => (
        <span key={noteId} id={noteId} className="muted setting-note">
          {props.entry.locked && <span aria-hidden="true">🔒 </span>}
          {text}
        </span>
      ))}
      <span role="status" className="setting-outcome">
        {key && saving === key && t('settings.saving')}
        {key && saved === key && t('settings.saved')}
      </span>
      {error && (
        <span role="alert" className="setting-error">
          {t('settings.saveFailed', { message: error })}
        </span>
      )}
    </div>
  );
}

/** A text setting, saved with its own Save button (or Enter) once the value is valid. */
function TextSetting(props: { settingKey: 'centerUrl' | 'tenant'; label: string; entry: Entry; invalid: MessageKey }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const id = useId();
  const current = typeof props.entry.value === 'string' ? props.entry.value : '';
  const [draft, setDraft] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setDraft(current), [current]);

  const save = () => {
    const trimmed = draft.trim();
    const parsed = props.settingKey === 'centerUrl' ? settingSchemas.centerUrl.safeParse(trimmed) : settingSchemas.tenant.safeParse(trimmed === '' ? null : trimmed);
    if (!parsed.success) {
      setProblem(t(props.invalid));
      return;
    }
    setProblem(null);
    if (props.settingKey === 'centerUrl') dispatch(settingChangeRequested({ key: 'centerUrl', value: parsed.data as string }));
    else dispatch(settingChangeRequested({ key: 'tenant', value: parsed.data as string | null }));
  };

  return (
    <SettingRow entry={props.entry} settingKey={props.settingKey} nextStart>
      {(describedBy) => (
        <form
          className="setting-text"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label htmlFor={id}>{props.label}</label>
          <input
            id={id}
            type={props.settingKey === 'centerUrl' ? 'url' : 'text'}
            value={draft}
            disabled={!props.entry.editable}
            aria-describedby={[describedBy, problem ? `${id}-problem` : undefined].filter(Boolean).join(' ') || undefined}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setDraft(e.target.value)}
          />
          {props.entry.editable && (
            <button type="submit" disabled={draft.trim() === current}>
              {t('settings.save')}
            </button>
          )}
          {problem && (
            <span id={`${id}-problem`} role="alert" className="setting-error">
              {problem}
            </span>
          )}
        </form>
      )}
    </SettingRow>
  );
}

function ManagedValue(props: { label: string; entry: Entry; text: string }) {
  return (
    <SettingRow entry={props.entry} settingKey={null}>
      {(describedBy) => (
        <p className="setting-managed">
          <span>{props.label}: </span>
          <output aria-describedby={describedBy}>{props.text}</output>
        </p>
      )}
    </SettingRow>
  );
}

export function SettingsDialog() {
  const t = useT();
  const dispatch = useAppDispatch();
  const open = useAppSelector(selectSettingsOpen);
  const view = useAppSelector(selectSettingsView);
  const loadError = useAppSelector(selectSettingsLoadError);
  const closeRef = useDialogFocus<HTMLButtonElement>(open);
  const ids = useId();

  if (!open) return null;
  const s = view?.settings;
  const notSet = t('settings.notSet');
  return (
    <div className="backdrop">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${ids}-heading`}
        data-testid="settings-dialog"
        className="dialog settings-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') dispatch(settingsClosed());
        }}
      >
        <h2 id={`${ids}-heading`}>{t('settings.heading')}</h2>
        {loadError && !view && <p role="alert">{t('settings.loadFailed', { message: loadError })}</p>}
        {s && (
          <>
            <SettingRow entry={s.language} settingKey="language">
              {(describedBy) => (
                <label className="setting-choice">
                  <span>{t('settings.language')}</span>
                  <select
                    data-testid="setting-language-select"
                    value={s.language.value ?? ''}
                    disabled={!s.language.editable}
                    aria-describedby={describedBy}
                    onChange={(e) => {
                      const chosen = LOCALES.find((l) => l === e.target.value) ?? null;
                      dispatch(settingChangeRequested({ key: 'language', value: chosen }));
                    }}
                  >
                    <option value="">{t('settings.languageSystem')}</option>
                    {LOCALES.map((l) => (
                      <option key={l} value={l} lang={l}>
                        {LOCALE_NAMES[l]}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </SettingRow>
            <SettingRow entry={s.callNotifications} settingKey="callNotifications">
              {(describedBy) => (
                <label className="setting-choice">
                  <input
                    type="checkbox"
                    checked={s.callNotifications.value}
                    disabled={!s.callNotifications.editable}
                    aria-describedby={describedBy}
                    onChange={(e) => dispatch(settingChangeRequested({ key: 'callNotifications', value: e.target.checked }))}
                  />
                  <span>{t('settings.callNotifications')}</span>
                </label>
              )}
            </SettingRow>
            <TextSetting settingKey="centerUrl" label={t('settings.centerUrl')} entry={s.centerUrl} invalid="settings.invalidUrl" />
            <TextSetting settingKey="tenant" label={t('settings.tenant')} entry={s.tenant} invalid="settings.invalidTenant" />
            <h3>{t('settings.managedHeading')}</h3>
            <ManagedValue label={t('settings.updateMode')} entry={s.updateMode} text={t(`settings.updateMode.${s.updateMode.value}`)} />
            <ManagedValue label={t('settings.updateFeedUrl')} entry={s.updateFeedUrl} text={s.updateFeedUrl.value ?? notSet} />
            <ManagedValue label={t('settings.caBundlePath')} entry={s.caBundlePath} text={s.caBundlePath.value ?? notSet} />
            <ManagedValue label={t('settings.logLevel')} entry={s.logLevel} text={s.logLevel.value} />
            <ManagedValue label={t('settings.idleTimeoutMinutes')} entry={s.idleTimeoutMinutes} text={t('settings.idleTimeoutValue', { minutes: s.idleTimeoutMinutes.value })} />
            <ManagedValue label={t('settings.wipeOnSignOut')} entry={s.wipeOnSignOut} text={t(s.wipeOnSignOut.value ? 'settings.yes' : 'settings.no')} />
            {view.policyOrigin && <p className="muted">{t('settings.policyFrom', { origin: view.policyOrigin })}</p>}
          </>
        )}
        <button type="button" ref={closeRef} onClick={() => dispatch(settingsClosed())}>
          {t('settings.close')}
        </button>
      </div>
    </div>
  );
}
