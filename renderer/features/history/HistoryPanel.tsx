// The customer's cross-channel history: filters by channel and VOC type, and a windowed list of
// contacts whose note excerpts expand in place.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Channel, CHANNELS, VOC_TYPES, VocType, type HistoryItem } from '../../../shared/domain/index';
import { FOCUS } from '../../app/focus-targets';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { formatDateTime } from '../../i18n/index';
import { useReferenceLabels } from '../../i18n/labels';
import { useLocale, useT } from '../../i18n/use-t';
import {
  channelFilterChanged,
  historyItemToggled,
  selectAllHistory,
  selectExpandedHistory,
  selectFilteredHistory,
  selectHistoryFilters,
  vocTypeFilterChanged,
} from './history-slice';
import { rowOffsets, windowAt } from './windowing';
import { VocTypeBadge } from '../../components/VocTypeBadge';

/** Estimates until a row has been laid out; then its measured height counts (long excerpts wrap). */
const ROW_HEIGHT = 60;
const EXPANDED_EXTRA = 168;
/** Used until the list has been laid out (and in environments without layout). */
const FALLBACK_VIEWPORT = 480;
const EXCERPT_CHARS = 80;

const excerpt = (text: string) => (text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).trimEnd()}…` : text);

/** The key a measured height is kept under: the same row expanded is another height. */
const sizeKey = (id: string, expanded: boolean) => `${expanded ? '+' : '-'}${id}`;

// Memoised: a scroll re-renders the panel, but a row already on screen only when its props change.
const HistoryRow = memo(function HistoryRow({
  item,
  expanded,
  index,
  total,
  onMeasured,
}: {
  item: HistoryItem;
  expanded: boolean;
  index: number;
  total: number;
  onMeasured: (key: string, height: number) => void;
}) {
  const t = useT();
  const labels = useReferenceLabels();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const firstNote = item.notes[0];
  const notesId = `history-notes-${item.id}`;
  const ref = useRef<HTMLLIElement>(null);
  // Rows on screen lie in normal flow, each as tall as its content (a long excerpt wraps, notes
  // expand), so they never overlap whatever the estimates. Their heights, observed after layout
  // (never read during a commit: that forced a second layout before a pop's first paint), only size
  // the space kept for the rows above and below the window.
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return; // no layout (jsdom): the estimate stands
    const key = sizeKey(item.id, expanded);
    const observer = new ResizeObserver(() => {
      const h = el.offsetHeight;
      if (h > 0) onMeasured(key, h);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [item.id, expanded, onMeasured]);
  return (
    <li
      ref={ref}
      data-testid="history-item"
      className={`history-item channel-${item.channel}`}
      style={{ minHeight: ROW_HEIGHT }}
      aria-setsize={total}
      aria-posinset={index + 1}
    >
      <div className="history-line">
        <span className="history-channel">{t(`channel.${item.channel}`)}</span>
        <time dateTime={item.startedAt}>{formatDateTime(locale, item.startedAt)}</time>
        <span>{item.agent ? t('history.by', { agent: item.agent }) : t('history.noAgent')}</span>
        <span className="history-disposition">
          {item.disposition ? t('history.disposition', { disposition: labels.disposition(item.queue, item.disposition) }) : t('history.noDisposition')}
        </span>
      </div>
      <div className="history-line muted">
        {item.subject && <span className="history-subject">{item.subject}</span>}
        {item.vocItems.map((v) => (
          <VocTypeBadge key={v.id} type={v.type} />
        ))}
        {firstNote && !expanded && <span className="note-excerpt">{excerpt(firstNote.text)}</span>}
        {item.notes.length > 0 && (
          <button type="button" className="link" aria-expanded={expanded} aria-controls={notesId} onClick={() => dispatch(historyItemToggled(item.id))}>
            {t('history.notesToggle', { count: item.notes.length })}
          </button>
        )}
      </div>
      {expanded && (
        <ul id={notesId} className="history-notes" data-testid="history-notes">
          {item.notes.map((n) => (
            <li key={n.id}>
              <span className="muted">
                {n.author} · {formatDateTime(locale, n.updatedAt)}
              </span>
              <p>{n.text}</p>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
});

export function HistoryPanel() {
  const t = useT();
  const dispatch = useAppDispatch();
  const all = useAppSelector(selectAllHistory);
  const items = useAppSelector(selectFilteredHistory);
  const filters = useAppSelector(selectHistoryFilters);
  const expanded = useAppSelector(selectExpandedHistory);
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(FALLBACK_VIEWPORT);
  // Measured row heights live in a ref (10,000 rows: no copy per measurement); a version bump
  // re-renders, once per commit however many rows reported.
  const measured = useRef(new Map<string, number>());
  const [measuredVersion, setMeasuredVersion] = useState(0);
  const onMeasured = useCallback((key: string, height: number) => {
    if (measured.current.get(key) === height) return;
    measured.current.set(key, height);
    setMeasuredVersion((v) => v + 1);
  }, []);

  useEffect(() => {
    const el = viewportRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setViewportHeight(el.clientHeight || FALLBACK_VIEWPORT));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Offsets change with the rows, not with the scroll: computed once per change; a scroll only searches them.
  const offsets = useMemo(
    () =>
      rowOffsets(
        items.map((i) => {
          const open = Boolean(expanded[i.id]);
          return measured.current.get(sizeKey(i.id, open)) ?? ROW_HEIGHT + (open ? EXPANDED_EXTRA : 0);
        }),
      ),
    // measuredVersion: the ref's content changed.
    [items, expanded, measuredVersion],
  );
  const win = windowAt(offsets, scrollTop, viewportHeight);
  const total = win.offsets[win.offsets.length - 1] ?? 0;

  return (
    <section className="history" aria-labelledby="history-heading">
      <div className="history-header">
        <h3 id="history-heading">{t('history.label')}</h3>
        <span className="muted">{t('history.count', { shown: items.length, total: all.length })}</span>
        <label>
          {t('history.filterChannel')}{' '}
          <select
            data-testid="history-filter-channel"
            value={filters.channel}
            onChange={(e) => dispatch(channelFilterChanged(e.target.value === 'all' ? 'all' : Channel.parse(e.target.value)))}
          >
            <option value="all">{t('history.all')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('history.filterVocType')}{' '}
          <select
            data-testid="history-filter-voc"
            value={filters.vocType}
            onChange={(e) => dispatch(vocTypeFilterChanged(e.target.value === 'all' ? 'all' : VocType.parse(e.target.value)))}
          >
            <option value="all">{t('history.all')}</option>
            {VOC_TYPES.map((v) => (
              <option key={v} value={v}>
                {t(`voc.type.${v}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {all.length === 0 && <p className="muted">{t('history.empty')}</p>}
      {all.length > 0 && items.length === 0 && <p className="muted">{t('history.noMatch')}</p>}
      <div
        id={FOCUS.history}
        ref={viewportRef}
        className="history-viewport"
        tabIndex={0}
        role="region"
        aria-label={t('history.scrollLabel')}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <ul
          data-testid="history"
          className="history-list"
          style={{ paddingTop: win.offsets[win.start] ?? 0, paddingBottom: Math.max(0, total - (win.offsets[win.end] ?? total)) }}
        >
          {items.slice(win.start, win.end).map((item, i) => {
            const index = win.start + i;
            return (
              <HistoryRow
                key={item.id}
                item={item}
                expanded={Boolean(expanded[item.id])}
                index={index}
                total={items.length}
                onMeasured={onMeasured}
              />
            );
          })}
        </ul>
      </div>
    </section>
  );
}
