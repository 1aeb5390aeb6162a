// The history list's windowing: only rows near the viewport are rendered, wherever it scrolls.
import { describe, expect, it } from 'vitest';
import { rowWindow } from './windowing';

describe('rowWindow', () => {
  const fifty = Array.from({ length: 50 }, () => 100);

  it('renders the rows in view plus the overscan at the top', () => {
    expect(rowWindow(fifty, 0, 300, 2)).toMatchObject({ start: 0, end: 5 });
  });

  it('follows the scroll position', () => {
    // Rows 10..12 are in view (1000..1300); two rows of overscan either side.
    expect(rowWindow(fifty, 1000, 300, 2)).toMatchObject({ start: 8, end: 15 });
  });

  it('never runs past either end', () => {
    const w = rowWindow(fifty, 4900, 300, 4);
    expect(w.end).toBe(50);
    expect(w.start).toBe(45);
    expect(rowWindow([], 0, 300)).toMatchObject({ start: 0, end: 0, offsets: [0] });
  });

  it('accounts for rows of different heights (expanded notes)', () => {
    const heights = [100, 400, 100, 100, 100];
    const w = rowWindow(heights, 150, 100, 0);
    expect(w.offsets).toEqual([0, 100, 500, 600, 700, 800]);
    // 150..250 lies inside the tall row 1 alone.
    expect(w).toMatchObject({ start: 1, end: 2 });
    // 450..550 straddles the end of row 1 and the start of row 2.
    expect(rowWindow(heights, 450, 100, 0)).toMatchObject({ start: 1, end: 3 });
  });
});
