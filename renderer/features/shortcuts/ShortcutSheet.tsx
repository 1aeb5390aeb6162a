// The `?` sheet listing every keyboard shortcut, as a modal dialog that returns focus when closed.
import { useDialogFocus } from '../../components/use-dialog-focus';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { SHORTCUTS } from './shortcut-keys';
import { selectShortcutSheetOpen, shortcutSheetClosed } from './shortcuts-slice';

export function ShortcutSheet() {
  const t = useT();
  const dispatch = useAppDispatch();
  const open = useAppSelector(selectShortcutSheetOpen);
  const closeRef = useDialogFocus<HTMLButtonElement>(open);

  if (!open) return null;
  return (
    <div className="backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="shortcuts-heading" data-testid="shortcut-sheet" className="dialog">
        <h2 id="shortcuts-heading">{t('shortcuts.heading')}</h2>
        <dl className="shortcut-list">
          {SHORTCUTS.map((s) => (
            <div key={s.action}>
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{t(s.label)}</dd>
            </div>
          ))}
        </dl>
        <button type="button" ref={closeRef} onClick={() => dispatch(shortcutSheetClosed())}>
          {t('shortcuts.close')}
        </button>
      </div>
    </div>
  );
}
