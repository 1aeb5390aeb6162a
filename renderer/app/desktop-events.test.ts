// The pop paints first: background news that arrives between a call's offer and the frame that paints
// its pop waits for that frame (or, in a window that paints no frames, a short while), in its order.
import { expect, it, vi } from 'vitest';
import { POP_FIRST_MAX_MS, popFirst } from './desktop-events';

it('runs background news at once when no pop is on its way', () => {
  const background = popFirst();
  const ran: string[] = [];
  background.held(() => ran.push('sync'));
  expect(ran).toEqual(['sync']);
});

it('holds background news from an offer until the next frame has painted, then runs it in order', async () => {
  const background = popFirst();
  const ran: string[] = [];
  const frame = vi.spyOn(globalThis, 'requestAnimationFrame');
  background.offered();
  background.held(() => ran.push('sync 1'));
  background.offered(); // a second offer in the same frame waits for the same one
  background.held(() => ran.push('note'));
  background.held(() => ran.push('sync 2'));
  expect(ran).toEqual([]);
  expect(frame).toHaveBeenCalledTimes(1);
  await vi.waitFor(() => expect(ran).toEqual(['sync 1', 'note', 'sync 2']), { timeout: POP_FIRST_MAX_MS * 5 });
  // Released: news runs at once again.
  background.held(() => ran.push('sync 3'));
  expect(ran.at(-1)).toBe('sync 3');
  frame.mockRestore();
});

it('releases held news after a short while when no frame comes (a hidden window)', () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  const frame = vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 0); // frames never come
  try {
    const background = popFirst();
    const ran: string[] = [];
    background.offered();
    background.held(() => ran.push('sync'));
    vi.advanceTimersByTime(POP_FIRST_MAX_MS - 1);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['sync']);
  } finally {
    frame.mockRestore();
    vi.useRealTimers();
  }
});
