// Every time-in-state on screen counts from one clock: one timer, however many counters (a supervisor's
// grid shows hundreds), and the timer stops when the last counter goes.
import { act, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { formatElapsed, useElapsedSeconds, useElapsedText } from './elapsed';

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

function WrittenCounter({ id, since, onRender }: { id: string; since: string | null; onRender: () => void }) {
  const ref = useElapsedText<HTMLSpanElement>(since);
  onRender();
  return <span data-testid={id} ref={ref} />;
}

it('writes a counter\'s text on the shared clock without rendering it again; a new start shows at once', () => {
  const now = Date.parse('2026-11-25T01:00:00Z');
  vi.useFakeTimers({ now });
  const started = vi.spyOn(globalThis, 'setInterval');
  let renders = 0;
  const counted = () => void renders++;
  const view = render(
    <>
      <WrittenCounter id="w" since={new Date(now - 3_599_000).toISOString()} onRender={counted} />
      <Counter id="c" since={new Date(now - 5_000).toISOString()} />
    </>,
  );
  expect(screen.getByTestId('w').textContent).toBe('59:59');
  expect(screen.getByTestId('c').textContent).toBe('0:05');
  const rendersBefore = renders;
  act(() => vi.advanceTimersByTime(2000));
  expect(screen.getByTestId('w').textContent).toBe('1:00:01');
  expect(screen.getByTestId('c').textContent).toBe('0:07');
  expect(renders).toBe(rendersBefore);
  // One clock for both kinds of counter.
  expect(started).toHaveBeenCalledTimes(1);
  // The agent changed state just now: the counter starts again from 0:00 in the same render.
  view.rerender(
    <>
      <WrittenCounter id="w" since={new Date(now + 2000).toISOString()} onRender={counted} />
      <Counter id="c" since={new Date(now - 5_000).toISOString()} />
    </>,
  );
  expect(screen.getByTestId('w').textContent).toBe('0:00');
  act(() => vi.advanceTimersByTime(3000));
  expect(screen.getByTestId('w').textContent).toBe('0:03');
  view.rerender(<WrittenCounter id="w" since={null} onRender={counted} />);
  expect(screen.getByTestId('w').textContent).toBe('');
});
