// Saved snippets: short texts the agent writes themselves (no canned scripts), kept on this computer
// under their name. `SnippetMenu` beside the reply composer inserts one at the cursor (Alt+I from the
// composer opens it; arrow keys move, Enter inserts, Escape goes back to the reply); `SnippetManager`
// adds, changes and deletes them.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { SNIPPETS_MAX, SNIPPET_TEXT_MAX, SNIPPET_TITLE_MAX, type Snippet } from '../../../shared/api/snippets';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectInbox, snippetDeleteRequested, snippetErrorCleared, snippetSaveRequested } from './inbox-slice';

/** The menu of the agent's snippets; `onPick` inserts the chosen one. Opened by its button or `open` (Alt+I). */
export function SnippetMenu({ open, onOpenChange, onPick }: { open: boolean; onOpenChange(open: boolean): void; onPick(snippet: Snippet): void }) {
  const t = useT();
  const { snippets } = useAppSelector(selectInbox);
  const menuId = useId();
  const items = useRef<Array<HTMLButtonElement | null>>([]);
  useEffect(() => {
    if (open) items.current[0]?.focus();
  }, [open]);

  function onKeyDown(event: KeyboardEvent, index: number) {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      event.preventDefault();
      items.current[(index + step + snippets.length) % snippets.length]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onOpenChange(false);
    } else if (event.key === 'Tab') {
      onOpenChange(false);
    }
  }

  return (
    <div className="snippet-menu">
      <button type="button" data-testid="snippet-menu-button" aria-haspopup="menu" aria-expanded={open} aria-controls={menuId} aria-keyshortcuts="Alt+I" onClick={() => onOpenChange(!open)}>
        {t('inbox.snippets.insert')}
      </button>
      {open && (
        <div id={menuId} role="menu" aria-label={t('inbox.snippets.menu')} className="snippet-menu-list" data-testid="snippet-menu">
          {snippets.length === 0 ? (
            <p className="muted" role="none">
              {t('inbox.snippets.none')}
            </p>
          ) : (
            snippets.map((s, i) => (
              <button
                key={s.id}
                type="button"
                role="menuitem"
                data-testid="snippet-menu-item"
                ref={(el) => {
                  items.current[i] = el;
                }}
                tabIndex={i === 0 ? 0 : -1}
                onKeyDown={(e) => onKeyDown(e, i)}
                onClick={() => onPick(s)}
              >
                <span className="snippet-title">{s.title}</span>
                <span className="snippet-preview muted">{s.text}</span>
              </button>
            ))
          )}
        </div>
      )}
    </div>
  );
}

const EMPTY = { id: undefined as string | undefined, title: '', text: '' };

/** The agent's snippets: add, change, delete (at most SNIPPETS_MAX, each short). */
export function SnippetManager() {
  const t = useT();
  const dispatch = useAppDispatch();
  const { snippets, snippetError, snippetBusy, snippetSaves } = useAppSelector(selectInbox);
  const [form, setForm] = useState<typeof EMPTY | null>(null);
  // Opening, changing sides or closing the form starts afresh: an old refusal is not shown against it.
  const openForm = (next: typeof EMPTY | null) => {
    if ((next === null || next.id !== form?.id) && snippetError) dispatch(snippetErrorCleared());
    setForm(next);
  };
  /** The count of saves when this form's save was sent: the form closes once it has gone through. */
  const sentAt = useRef<number | null>(null);
  useEffect(() => {
    if (sentAt.current !== null && snippetSaves > sentAt.current) {
      sentAt.current = null;
      setForm(null);
    }
  }, [snippetSaves]);

  const full = snippets.length >= SNIPPETS_MAX;
  const errorText = snippetError ? (snippetError.code === 'snippet_limit' ? t('inbox.snippets.limit', { max: SNIPPETS_MAX }) : t('inbox.snippets.failed', { message: snippetError.message })) : null;
  const tooEmpty = form !== null && (form.title.trim() === '' || form.text.trim() === '');

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!form || tooEmpty || snippetBusy) return;
    sentAt.current = snippetSaves;
    dispatch(snippetSaveRequested({ ...(form.id && { id: form.id }), title: form.title, text: form.text }));
  }

  return (
    <details className="snippets" data-testid="snippets">
      <summary>{t('inbox.snippets.heading', { count: snippets.length, max: SNIPPETS_MAX })}</summary>
      <p className="muted">{t('inbox.snippets.explain')}</p>
      {errorText && (
        <p role="alert" className="error" data-testid="snippet-error">
          {errorText}
        </p>
      )}
      {snippets.length > 0 && (
        <ul className="snippet-list">
          {snippets.map((s) => (
            <li key={s.id} data-testid="snippet">
              <strong>{s.title}</strong> <span className="snippet-preview muted">{s.text}</span>
              <span className="snippet-actions">
                <button type="button" data-testid="snippet-edit" aria-label={t('inbox.snippets.editNamed', { title: s.title })} onClick={() => openForm({ id: s.id, title: s.title, text: s.text })}>
                  {t('inbox.snippets.edit')}
                </button>
                <button type="button" data-testid="snippet-delete" aria-label={t('inbox.snippets.deleteNamed', { title: s.title })} disabled={snippetBusy} onClick={() => dispatch(snippetDeleteRequested({ id: s.id }))}>
                  {t('inbox.snippets.delete')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {form ? (
        <form className="snippet-form" data-testid="snippet-form" onSubmit={submit}>
          <label>
            {t('inbox.snippets.title')}
            <input data-testid="snippet-title" value={form.title} maxLength={SNIPPET_TITLE_MAX} onChange={(e) => setForm({ ...form, title: e.target.value })} />
          </label>
          <label>
            {t('inbox.snippets.text')}
            <textarea data-testid="snippet-text" value={form.text} maxLength={SNIPPET_TEXT_MAX} onChange={(e) => setForm({ ...form, text: e.target.value })} />
          </label>
          <p className="muted" aria-live="polite">
            {t('inbox.snippets.length', { count: form.text.length, max: SNIPPET_TEXT_MAX })}
          </p>
          <div className="snippet-actions">
            <button type="submit" data-testid="snippet-save" disabled={snippetBusy || tooEmpty}>
              {t('inbox.snippets.save')}
            </button>
            <button type="button" onClick={() => openForm(null)}>
              {t('inbox.snippets.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" data-testid="snippet-add" disabled={full} onClick={() => openForm({ ...EMPTY })}>
          {t('inbox.snippets.add')}
        </button>
      )}
      {full && !form && <p className="muted">{t('inbox.snippets.limit', { max: SNIPPETS_MAX })}</p>}
    </details>
  );
}

/** `text` put in `draft` in place of the selection (or at the cursor), within `max` characters; where the cursor goes after it. */
export function insertAt(draft: string, text: string, start: number, end: number, max: number): { value: string; caret: number } {
  const room = max - (draft.length - (end - start));
  const inserted = text.slice(0, Math.max(0, room));
  return { value: draft.slice(0, start) + inserted + draft.slice(end), caret: start + inserted.length };
}
