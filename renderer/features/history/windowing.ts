// The history list's own small windowing: which rows to render for a scroll position, given each
// row's height. Pure, so it is tested without a layout engine. `rowOffsets` is computed once per
// change of the rows; `windowAt` runs on every scroll and only searches (binary) the offsets.

export interface RowWindow {
  /** Index of the first row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Top offset of each row, plus the total height as the last entry. */
  offsets: number[];
}

/** Top offset of each row, plus the total height as the last entry. */
export function rowOffsets(heights: readonly number[]): number[] {
  const offsets = new Array<number>(heights.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + heights[i]!;
  return offsets;
}

/** The first row whose bottom lies below `y` (count when none). */
function firstBelow(offsets: readonly number[], y: number): number {
  const count = offsets.length - 1;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1]! <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows to render for a scroll position, over precomputed offsets. */
export function windowAt(offsets: number[], scrollTop: number, viewportHeight: number, overscan = 4): RowWindow {
  const count = offsets.length - 1;
  const first = firstBelow(offsets, scrollTop);
  // One past the last row that starts above the viewport's bottom.
  const bottom = scrollTop + viewportHeight;
  let lo = first;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < bottom) lo = mid + 1;
    else hi = mid;
  }
  return { start: Math.max(0, first - overscan), end: Math.min(count, lo + overscan), offsets };
}

export function rowWindow(heights: readonly number[], scrollTop: number, viewportHeight: number, overscan = 4): RowWindow {
  return windowAt(rowOffsets(heights), scrollTop, viewportHeight, overscan);
}
