// Element ids keyboard shortcuts move focus to; one list so the shortcut and its target agree.
export const FOCUS = {
  noteEditor: 'note-editor',
  vocType: 'voc-type',
  search: 'customer-search',
  history: 'history-list',
} as const;

export function focusById(id: string): void {
  document.getElementById(id)?.focus();
}
