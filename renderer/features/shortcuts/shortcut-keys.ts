// The keyboard shortcuts of the agent view: one table serves the key handler and the `?` sheet.
import type { MessageKey } from '../../i18n/index';

export type ShortcutAction = 'sheet' | 'focusNotes' | 'addVoc' | 'submitVoc' | 'focusSearch' | 'focusHistory' | 'closeDialog';

export interface Shortcut {
  action: ShortcutAction;
  keys: string;
  label: MessageKey;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'sheet', keys: '?', label: 'shortcuts.sheet' },
  { action: 'focusNotes', keys: 'Alt+N', label: 'shortcuts.focusNotes' },
  { action: 'addVoc', keys: 'Alt+V', label: 'shortcuts.addVoc' },
  { action: 'submitVoc', keys: 'Ctrl+Enter', label: 'shortcuts.submitVoc' },
  { action: 'focusSearch', keys: 'Alt+S', label: 'shortcuts.focusSearch' },
  { action: 'focusHistory', keys: 'Alt+H', label: 'shortcuts.focusHistory' },
  { action: 'closeDialog', keys: 'Esc', label: 'shortcuts.closeDialog' },
];

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
    }
    return null;
  }
  if (event.key === '?' && !event.ctrlKey && !event.metaKey && !isTyping(event.target)) return 'sheet';
  if (event.key === 'Escape') return 'closeDialog';
  return null;
}
