// The history list's own small windowing: which rows to render for a scroll position, given each
// row's height. Pure, so it is tested without a layout engine.

export interface RowWindow {
  /** Index of the first row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Top offset of each row, plus the total height as the last entry. */
  offsets: number[];
}

export function rowWindow(heights: readonly number[], scrollTop: number, viewportHeight: number, overscan = 4): RowWindow {
  const offsets = [0];
  for (const h of heights) offsets.push((offsets[offsets.length - 1] ?? 0) + h);
  const count = heights.length;
  let first = 0;
  while (first < count && (offsets[first + 1] ?? 0) <= scrollTop) first++;
  let last = first;
  const bottom = scrollTop + viewportHeight;
  while (last < count && (offsets[last] ?? 0) < bottom) last++;
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan), offsets };
}
