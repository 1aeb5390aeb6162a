// Listens for shortcuts on every view and turns each into focus moves or actions.
import { useEffect } from 'react';
import { FOCUS, focusById } from '../../app/focus-targets';
import { useAppDispatch } from '../../app/hooks';
import { callShortcutPressed } from '../call-controls/call-controls-slice';
import { viewChosen } from '../shell/shell-slice';
import { vocFormOpened } from '../voc/voc-slice';
import { shortcutFor } from './shortcut-keys';
import { shortcutSheetClosed, shortcutSheetOpened } from './shortcuts-slice';

const VIEW_OF = { viewFloor: 'floor', viewCalls: 'calls', viewDesk: 'desk', viewAnalysis: 'analysis' } as const;

export function useShortcuts(): void {
  const dispatch = useAppDispatch();
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented) return;
      const action = shortcutFor(event);
      if (!action) return;
      switch (action) {
        case 'sheet':
          dispatch(shortcutSheetOpened());
          break;
        case 'focusNotes':
          focusById(FOCUS.noteEditor);
          break;
        case 'addVoc':
          dispatch(vocFormOpened());
          focusById(FOCUS.vocType);
          break;
        case 'focusSearch':
          focusById(FOCUS.search);
          break;
        case 'focusHistory':
          focusById(FOCUS.history);
          break;
        case 'closeDialog':
          dispatch(shortcutSheetClosed());
          return; // Escape also belongs to the focused field (search clears, VOC form closes itself).
        case 'submitVoc':
        case 'insertSnippet':
          return; // The focused field's own key (the VOC form; the reply composer opens its snippet menu).
        case 'viewFloor':
        case 'viewCalls':
        case 'viewDesk':
        case 'viewAnalysis':
          // A view that is not this person's is not opened (shell-slice's selectView).
          dispatch(viewChosen(VIEW_OF[action]));
          break;
        case 'answerCall':
        case 'holdCall':
        case 'resumeCall':
        case 'transferCall':
        case 'hangUpCall':
        case 'finishWrapUp':
          // The call-controls listener knows the state and ignores a key that does not apply now.
          dispatch(callShortcutPressed(action));
          break;
      }
      event.preventDefault();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [dispatch]);
}
