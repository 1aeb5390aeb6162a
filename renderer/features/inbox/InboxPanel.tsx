// The inbox beside the call area: offers of chats and emails to accept or decline before their time
// runs out, then one tab per item held (time since it arrived and since the customer last wrote). The
// selected item shows the customer's pop, the thread (mail quotes folded; text only, never the html),
// the reply composer (Ctrl+Enter sends; replies are kept by the desktop and go out when the center
// answers), each reply's state, and the notes, VOC items and wrap-up of its interaction as for a call.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { InboxItem, KeptReply } from '../../../shared/api/inbox';
import type { ConversationMessage } from '../../../shared/protocol/channels';
import { CHAT_VISITOR_AUTHOR, CHAT_VISITOR_CUSTOMER_NAME, REPLY_MAX_CHARS, UNKNOWN_SENDER_NAME } from '../../../shared/protocol/channels';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useLocale, useT } from '../../i18n/use-t';
import { formatElapsed, useElapsedSeconds, useSecondsLeft } from '../agent-state/elapsed';
import { attachmentRequested } from '../attachments/attachment-listeners';
import { NotesEditor } from '../notes/NotesEditor';
import { DispositionSelect } from '../wrap-up/DispositionSelect';
import { CustomerCard } from '../screen-pop/CustomerCard';
import { OpenVocList } from '../screen-pop/OpenVocList';
import { VocPanel } from '../voc/VocPanel';
import { unsentDiscarded, dispositionPicked, draftChanged, finishRequested, itemSelected, offerAccepted, offerDeclined, replySubmitted, selectInbox, selectSelectedItem } from './inbox-slice';
import { splitQuoted } from './quoted';
import { insertAt, SnippetManager, SnippetMenu } from './Snippets';

type T = ReturnType<typeof useT>;

/** Who wrote a message: the center stores a fixed word for a chat visitor who gave no name, shown here in the agent's language. */
const authorOf = (m: ConversationMessage, channel: InboxItem['conversation']['channel'], t: T) =>
  channel === 'chat' && m.direction === 'in' && m.author === CHAT_VISITOR_AUTHOR ? t('inbox.author.visitor') : m.author;

function nameOf(item: InboxItem, t: T): string {
  const { channel } = item.conversation;
  const name = item.pop?.customer.displayName;
  if (name && item.pop?.customer.provisional) {
    // The center's fixed words for a customer who gave no name, in the agent's language.
    if (channel === 'chat' && name === CHAT_VISITOR_CUSTOMER_NAME) return t('inbox.chatVisitor');
    if (channel === 'email' && name === UNKNOWN_SENDER_NAME) return t('inbox.unknownSender');
  }
  if (name) return name;
  const first = item.messages.find((m) => m.direction === 'in');
  return item.conversation.subject ?? (first ? authorOf(first, channel, t) : '');
}

export function InboxPanel() {
  const t = useT();
  const inbox = useAppSelector(selectInbox);
  const selected = useAppSelector(selectSelectedItem);
  const offers = inbox.items.filter((i) => i.conversation.state === 'offered');
  const held = inbox.items.filter((i) => i.conversation.state !== 'offered');
  const notice = inbox.notice;
  const noticeText = notice ? (notice.message.startsWith('withdrawn:') ? t(`inbox.withdrawn.${notice.message.slice(10) as 'timeout'}`) : notice.message) : null;
  return (
    <section className="inbox" data-testid="inbox" aria-labelledby="inbox-heading">
      <h2 id="inbox-heading">{t('inbox.heading')}</h2>
      {!inbox.connected && inbox.items.length > 0 && <p className="muted" role="status">{t('inbox.offline')}</p>}
      {noticeText && (
        <p role="alert" className="inbox-notice" data-testid="inbox-notice">
          {noticeText}
        </p>
      )}
      {inbox.items.length === 0 && <p className="muted">{t('inbox.empty')}</p>}
      {inbox.unsent.length > 0 && <UnsentReplies replies={inbox.unsent} />}
      {offers.map((item) => (
        <OfferCard key={item.conversation.id} item={item} busy={inbox.busy[item.conversation.id] ?? false} />
      ))}
      {held.length > 0 && <InboxTabs items={held} selectedId={selected?.conversation.id ?? null} />}
      {selected && selected.conversation.state !== 'offered' && <SelectedItem item={selected} />}
      <SnippetManager />
    </section>
  );
}

/** Replies the center would not take for a conversation the agent no longer holds: the text stays to copy, until discarded. */
function UnsentReplies({ replies }: { replies: KeptReply[] }) {
  const t = useT();
  const dispatch = useAppDispatch();
  return (
    <section className="inbox-unsent" data-testid="inbox-unsent" aria-labelledby="inbox-unsent-heading">
      <h3 id="inbox-unsent-heading">{t('inbox.unsent.heading')}</h3>
      <ul>
        {replies.map((k) => (
          <li key={k.clientMutationId}>
            <p className="message-text">{k.text}</p>
            <p className={`message-state ${k.refused ? 'failed' : 'queued'}`}>{k.refused ? t('inbox.reply.failed', { message: k.lastError ?? '' }) : t('inbox.reply.queued')}</p>
            {k.refused && (
              <button type="button" onClick={() => dispatch(unsentDiscarded({ clientMutationId: k.clientMutationId }))}>
                {t('inbox.unsent.discard')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function OfferCard({ item, busy }: { item: InboxItem; busy: boolean }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const left = useSecondsLeft(item.conversation.offerExpiresAt);
  const first = item.messages.find((m) => m.direction === 'in');
  const preview = first ? splitQuoted(first.text).body.split(/\r?\n/).slice(0, 3).join('\n') : '';
  const id = item.conversation.id;
  return (
    <article className="offer-card" data-testid="offer-card" aria-labelledby={`offer-${id}`}>
      <h3 id={`offer-${id}`}>
        {t(`inbox.channel.${item.conversation.channel}`)} · {nameOf(item, t)}
      </h3>
      {item.conversation.subject && <p className="offer-subject">{item.conversation.subject}</p>}
      <p className="offer-preview">{preview}</p>
      {left !== null && <p role="timer" aria-live="off">{t('inbox.timeLeft', { time: formatElapsed(left) })}</p>}
      <div className="offer-actions">
        <button type="button" data-testid="offer-accept" disabled={busy} onClick={() => dispatch(offerAccepted({ conversationId: id }))}>
          {t('inbox.accept')}
        </button>
        <button type="button" data-testid="offer-decline" disabled={busy} onClick={() => dispatch(offerDeclined({ conversationId: id }))}>
          {t('inbox.decline')}
        </button>
      </div>
    </article>
  );
}

function InboxTabs({ items, selectedId }: { items: InboxItem[]; selectedId: string | null }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Tab leaves the list.
  function onKeyDown(event: KeyboardEvent, index: number) {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (index + step + items.length) % items.length;
    dispatch(itemSelected(items[next]!.conversation.id));
    refs.current[next]?.focus();
  }
  return (
    <div role="tablist" aria-label={t('inbox.tabs')} className="inbox-tabs">
      {items.map((item, i) => (
        <InboxTab key={item.conversation.id} item={item} selected={item.conversation.id === selectedId} onKeyDown={(e) => onKeyDown(e, i)} refFn={(el) => (refs.current[i] = el)} />
      ))}
    </div>
  );
}

function InboxTab({ item, selected, onKeyDown, refFn }: { item: InboxItem; selected: boolean; onKeyDown(e: KeyboardEvent): void; refFn(el: HTMLButtonElement | null): void }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const since = useElapsedSeconds(item.conversation.createdAt);
  const lastWrote = useElapsedSeconds(item.conversation.lastCustomerMessageAt);
  const id = item.conversation.id;
  return (
    <button
      type="button"
      role="tab"
      id={`inbox-tab-${id}`}
      data-testid="inbox-tab"
      aria-selected={selected}
      aria-controls={`inbox-panel-${id}`}
      tabIndex={selected ? 0 : -1}
      ref={refFn}
      onKeyDown={onKeyDown}
      onClick={() => dispatch(itemSelected(id))}
      className={`inbox-tab${selected ? ' selected' : ''}`}
    >
      <span className="inbox-tab-name">
        {t(`inbox.channel.${item.conversation.channel}`)} · {nameOf(item, t)}
        {item.conversation.state === 'wrap_up' && ` · ${t('inbox.state.wrapUp')}`}
      </span>
      <span className="inbox-tab-times muted">
        {since !== null && t('inbox.since', { time: formatElapsed(since) })}
        {lastWrote !== null && ` · ${t('inbox.lastCustomer', { time: formatElapsed(lastWrote) })}`}
      </span>
    </button>
  );
}

function SelectedItem({ item }: { item: InboxItem }) {
  const t = useT();
  const { conversation } = item;
  const contact = { interactionId: conversation.interactionId, customerId: item.pop?.customer.id ?? conversation.customerId };
  return (
    <div role="tabpanel" id={`inbox-panel-${conversation.id}`} aria-labelledby={`inbox-tab-${conversation.id}`} className="inbox-item" data-testid="inbox-item">
      {item.pop ? (
        <div className="inbox-pop">
          <CustomerCard customer={{ ...item.pop.customer, displayName: nameOf(item, t) }} lastContact={item.pop.history[0] ?? null} />
          <OpenVocList items={item.pop.openVocItems} />
          <details className="inbox-history">
            <summary>{t('inbox.history', { count: item.pop.history.length })}</summary>
            <ul>
              {item.pop.history.slice(0, 10).map((h) => (
                <li key={h.id}>
                  {h.startedAt.slice(0, 10)} · {h.channel} · {h.subject ?? h.disposition ?? ''}
                </li>
              ))}
            </ul>
          </details>
        </div>
      ) : (
        <p className="muted" role="status">
          {t('inbox.popLoading')}
        </p>
      )}
      {conversation.subject && <h3 className="inbox-subject">{conversation.subject}</h3>}
      <Thread item={item} />
      {conversation.state === 'active' && <Composer conversationId={conversation.id} />}
      <NotesEditor contact={contact} />
      <VocPanel contact={contact} />
      <Finish item={item} />
    </div>
  );
}

function Thread({ item }: { item: InboxItem }) {
  const t = useT();
  return (
    <ol className="thread" aria-label={t('inbox.thread')} data-testid="thread">
      {item.messages.map((m) => (
        <MessageView key={m.seq} message={m} channel={item.conversation.channel} />
      ))}
      {item.kept.map((k) => (
        <li key={k.clientMutationId} className="message out kept" data-testid="thread-message">
          <p className="message-text">{k.text}</p>
          <p className={`message-state ${k.refused ? 'failed' : 'queued'}`} data-testid="reply-state">
            {k.refused ? t('inbox.reply.failed', { message: k.lastError ?? '' }) : t('inbox.reply.queued')}
          </p>
        </li>
      ))}
    </ol>
  );
}

function MessageView({ message, channel }: { message: ConversationMessage; channel: InboxItem['conversation']['channel'] }) {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  // The text only, as text: the html a mail carried is never put into the page.
  const { body, quoted } = splitQuoted(message.text);
  return (
    <li className={`message ${message.direction}`} data-testid="thread-message">
      <p className="message-meta muted">
        {authorOf(message, channel, t)} · {new Date(message.createdAt).toLocaleTimeString(locale)}
      </p>
      <p className="message-text">{body}</p>
      {quoted && (
        <details className="message-quoted">
          <summary>{t('inbox.quoted')}</summary>
          <pre>{quoted}</pre>
        </details>
      )}
      {message.attachments.map((a, i) => (
        <p key={`${i}:${a.name}`} className="muted">
          {a.dropped ? t('inbox.attachmentDropped', { name: a.name, why: a.dropped }) : t('inbox.attachment', { name: a.name })}
          {a.ref && !a.dropped && (
            <>
              {' '}
              <button
                type="button"
                className="link"
                data-testid="attachment-download"
                aria-label={t('inbox.attachmentDownloadName', { name: a.name })}
                onClick={() => dispatch(attachmentRequested({ conversationId: message.conversationId, ref: a.ref!, name: a.name }))}
              >
                {t('inbox.attachmentDownload')}
              </button>
            </>
          )}
        </p>
      ))}
      {message.direction === 'out' && message.outboundState && (
        <p className={`message-state ${message.outboundState}`} data-testid="reply-state">
          {message.outboundState === 'failed' ? t('inbox.reply.failed', { message: message.outboundError ?? '' }) : t(`inbox.reply.${message.outboundState}`)}
        </p>
      )}
    </li>
  );
}

function Composer({ conversationId }: { conversationId: string }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const inbox = useAppSelector(selectInbox);
  const draft = inbox.drafts[conversationId] ?? '';
  const busy = inbox.busy[conversationId] ?? false;
  const [menuOpen, setMenuOpen] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);
  /** Where the cursor goes once an inserted snippet is in the field. */
  const caret = useRef<number | null>(null);
  useEffect(() => {
    if (caret.current === null || !field.current) return;
    field.current.focus();
    field.current.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [draft]);
  const send = () => {
    if (draft.trim() !== '' && !busy) dispatch(replySubmitted({ conversationId }));
  };
  const closeMenu = (open: boolean) => {
    setMenuOpen(open);
    if (!open) field.current?.focus();
  };
  const insert = (text: string) => {
    const el = field.current;
    const { value, caret: at } = insertAt(draft, text, el?.selectionStart ?? draft.length, el?.selectionEnd ?? draft.length, REPLY_MAX_CHARS);
    caret.current = at;
    setMenuOpen(false);
    dispatch(draftChanged({ conversationId, text: value }));
  };
  return (
    <div className="composer">
      <label htmlFor="reply-composer">{t('inbox.reply.label')}</label>
      <textarea
        id="reply-composer"
        ref={field}
        data-testid="reply-composer"
        value={draft}
        maxLength={REPLY_MAX_CHARS}
        aria-keyshortcuts="Control+Enter Alt+I"
        onChange={(e) => dispatch(draftChanged({ conversationId, text: e.target.value }))}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            send();
          } else if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyI' || e.key.toLowerCase() === 'i')) {
            // Alt+I: the snippet menu, keeping the cursor where the snippet goes.
            e.preventDefault();
            setMenuOpen(true);
          }
        }}
      />
      <div className="composer-actions">
        <button type="button" data-testid="reply-send" disabled={busy || draft.trim() === ''} onClick={send} title={t('inbox.reply.hint')}>
          {t('inbox.reply.send')}
        </button>
        <SnippetMenu open={menuOpen} onOpenChange={closeMenu} onPick={(s) => insert(s.text)} />
      </div>
    </div>
  );
}

function Finish({ item }: { item: InboxItem }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const inbox = useAppSelector(selectInbox);
  const { conversation } = item;
  const id = conversation.id;
  const busy = inbox.busy[id] ?? false;
  const queue = inbox.queues[conversation.queue] ?? null;
  const required = queue?.dispositionRequired ?? false;
  const disposition = inbox.dispositions[id] ?? '';
  if (conversation.state === 'active') {
    return (
      <button type="button" data-testid="conversation-wrap-up" disabled={busy} onClick={() => dispatch(finishRequested({ conversationId: id, to: 'wrap_up' }))}>
        {t('inbox.wrapUp')}
      </button>
    );
  }
  return (
    <section className="wrap-up" data-testid="conversation-wrap-up-panel" aria-label={t('wrapUp.label')}>
      <h3>{t('wrapUp.label')}</h3>
      {queue && <DispositionSelect queue={queue} value={disposition} onChange={(code) => dispatch(dispositionPicked({ conversationId: id, code }))} testId="conversation-disposition" />}
      {inbox.queues[conversation.queue] === null && <p className="wrap-up-note">{t('wrapUp.codesUnavailable')}</p>}
      <button type="button" data-testid="conversation-close" disabled={busy || (required && !disposition)} onClick={() => dispatch(finishRequested({ conversationId: id, to: 'closed' }))}>
        {t('inbox.close')}
      </button>
    </section>
  );
}
