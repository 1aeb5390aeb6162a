// Every time-in-state on screen counts from one clock: one timer, however many counters (a supervisor's
// grid shows hundreds), and the timer stops when the last counter goes.
import { act, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { formatElapsed, useElapsedSeconds } from './elapsed';

function Counter({ id, since }: { id: string; since: string }) {
  const s = useElapsedSeconds(since);
  return <span data-testid={id}>{formatElapsed(s ?? 0)}</span>;
}

afterEach(() => vi.useRealTimers());

it('counts many states up from one shared timer, and stops it when the last counter goes', () => {
  vi.useFakeTimers({ now: Date.parse('2026-11-25T01:00:00Z') });
  const started = vi.spyOn(globalThis, 'setInterval');
  const stopped = vi.spyOn(globalThis, 'clearInterval');
  const view = render(
    <>
      {Array.from({ length: 50 }, (_, i) => (
        <Counter key={i} id={`c${i}`} since={new Date(Date.parse('2026-11-25T01:00:00Z') - i * 1000).toISOString()} />
      ))}
    </>,
  );
  expect(started).toHaveBeenCalledTimes(1);
  expect(screen.getByTestId('c0').textContent).toBe('0:00');
  expect(screen.getByTestId('c49').textContent).toBe('0:49');
  act(() => vi.advanceTimersByTime(3000));
  expect(screen.getByTestId('c0').textContent).toBe('0:03');
  expect(screen.getByTestId('c49').textContent).toBe('0:52');
  expect(started).toHaveBeenCalledTimes(1);
  view.unmount();
  expect(stopped).toHaveBeenCalledTimes(1);
});
