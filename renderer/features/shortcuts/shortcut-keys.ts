// The keyboard shortcuts of the agent view: one table serves the key handler and the `?` sheet.
import type { MessageKey } from '../../i18n/index';
import type { View } from '../shell/shell-slice';

export type ShortcutAction =
  | 'sheet'
  | 'focusNotes'
  | 'addVoc'
  | 'submitVoc'
  | 'insertSnippet'
  | 'focusSearch'
  | 'focusHistory'
  | 'closeDialog'
  | ViewShortcut
  | CallShortcut;

/** Between a person's views (features/shell): each works where that view is theirs. */
export type ViewShortcut = 'viewFloor' | 'viewCalls' | 'viewDesk' | 'viewAnalysis';

/** Call controls and wrap-up; each works only in the states where its button is shown. */
export type CallShortcut = 'answerCall' | 'holdCall' | 'resumeCall' | 'transferCall' | 'hangUpCall' | 'finishWrapUp';

export interface Shortcut {
  action: ShortcutAction;
  keys: string;
  label: MessageKey;
  /** The views it works in (features/shell); every view when left out. */
  views?: readonly View[];
}

const CALLS: readonly View[] = ['calls'];

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'sheet', keys: '?', label: 'shortcuts.sheet' },
  { action: 'focusNotes', keys: 'Alt+N', label: 'shortcuts.focusNotes', views: CALLS },
  { action: 'addVoc', keys: 'Alt+V', label: 'shortcuts.addVoc', views: CALLS },
  { action: 'submitVoc', keys: 'Ctrl+Enter', label: 'shortcuts.submitVoc', views: CALLS },
  { action: 'insertSnippet', keys: 'Alt+I', label: 'shortcuts.insertSnippet', views: CALLS },
  { action: 'focusSearch', keys: 'Alt+S', label: 'shortcuts.focusSearch', views: CALLS },
  { action: 'focusHistory', keys: 'Alt+H', label: 'shortcuts.focusHistory', views: CALLS },
  { action: 'closeDialog', keys: 'Esc', label: 'shortcuts.closeDialog' },
  { action: 'viewFloor', keys: 'Alt+1', label: 'shortcuts.viewFloor' },
  { action: 'viewCalls', keys: 'Alt+2', label: 'shortcuts.viewCalls' },
  { action: 'viewDesk', keys: 'Alt+3', label: 'shortcuts.viewDesk' },
  { action: 'viewAnalysis', keys: 'Alt+4', label: 'shortcuts.viewAnalysis' },
  { action: 'answerCall', keys: 'Alt+A', label: 'shortcuts.answerCall', views: CALLS },
  { action: 'holdCall', keys: 'Alt+O', label: 'shortcuts.holdCall', views: CALLS },
  { action: 'resumeCall', keys: 'Alt+R', label: 'shortcuts.resumeCall', views: CALLS },
  { action: 'transferCall', keys: 'Alt+T', label: 'shortcuts.transferCall', views: CALLS },
  { action: 'hangUpCall', keys: 'Alt+E', label: 'shortcuts.hangUpCall', views: CALLS },
  { action: 'finishWrapUp', keys: 'Alt+D', label: 'shortcuts.finishWrapUp', views: CALLS },
];

/** The keys of a shortcut as the sheet shows them (for tooltips). */
export const shortcutKeys = (action: ShortcutAction): string => SHORTCUTS.find((s) => s.action === action)?.keys ?? '';

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Which workspace-wide shortcut a key press means; null for keys that belong to the focused field. */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'target'>): ShortcutAction | null {
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    // `code` keeps Alt shortcuts working on layouts where Alt changes the character (macOS, 한글).
    switch (event.code || `Key${event.key.toUpperCase()}`) {
      case 'KeyN':
        return 'focusNotes';
      case 'KeyV':
        return 'addVoc';
      case 'KeyS':
        return 'focusSearch';
      case 'KeyH':
        return 'focusHistory';
      case 'KeyA':
        return 'answerCall';
      case 'KeyO':
        return 'holdCall';
      case 'KeyR':
        return 'resumeCall';
      case 'KeyT':
        return 'transferCall';
      case 'KeyE':
        return 'hangUpCall';
      case 'KeyD':
        return 'finishWrapUp';
      case 'KeyI':
        return 'insertSnippet';
      case 'Digit1':
        return 'viewFloor';
      case 'Digit2':
        return 'viewCalls';
      case 'Digit3':
        return 'viewDesk';
      case 'Digit4':
        return 'viewAnalysis';
    }
    return null;
  }
  if (event.key === '?' && !event.ctrlKey && !event.metaKey && !isTyping(event.target)) return 'sheet';
  if (event.key === 'Escape') return 'closeDialog';
  return null;
}
