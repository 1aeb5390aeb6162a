// A modal dialog's focus: moves to the given element (usually Close) when the dialog opens, and back
// to whatever had focus before when it closes.
import { useEffect, useRef } from 'react';

export function useDialogFocus<T extends HTMLElement>(open: boolean) {
  const first = useRef<T>(null);
  const returnTo = useRef<Element | null>(null);
  useEffect(() => {
    if (open) {
      returnTo.current = document.activeElement;
      first.current?.focus();
    } else if (returnTo.current instanceof HTMLElement) {
      returnTo.current.focus();
      returnTo.current = null;
    }
  }, [open]);
  return first;
}
