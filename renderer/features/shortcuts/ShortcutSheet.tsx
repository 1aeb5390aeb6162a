// The `?` sheet listing the keyboard shortcuts of the view on screen, as a modal dialog that returns focus when closed.
import { useDialogFocus } from '../../components/use-dialog-focus';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectView, selectViews, type View } from '../shell/shell-slice';
import { SHORTCUTS, type ShortcutAction } from './shortcut-keys';
import { selectShortcutSheetOpen, shortcutSheetClosed } from './shortcuts-slice';

const VIEW_OF: Partial<Record<ShortcutAction, View>> = { viewFloor: 'floor', viewCalls: 'calls', viewDesk: 'desk', viewAnalysis: 'analysis' };

export function ShortcutSheet() {
  const t = useT();
  const dispatch = useAppDispatch();
  const open = useAppSelector(selectShortcutSheetOpen);
  const closeRef = useDialogFocus<HTMLButtonElement>(open);
  const view = useAppSelector(selectView);
  const views = useAppSelector(selectViews);
  // This view's shortcuts, and the ways to this person's other views.
  const shown = SHORTCUTS.filter((s) => {
    const target = VIEW_OF[s.action];
    return (s.views ?? [view]).includes(view) && (!target || (views.length > 1 && views.includes(target)));
  });

  if (!open) return null;
  return (
    <div className="backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="shortcuts-heading" data-testid="shortcut-sheet" className="dialog">
        <h2 id="shortcuts-heading">{t('shortcuts.heading')}</h2>
        <dl className="shortcut-list">
          {shown.map((s) => (
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
