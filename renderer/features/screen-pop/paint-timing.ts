// Performance marks for ring-to-paint (tests/bench/ring-to-paint.bench.ts), readable in any build:
// - `earshot:call-received` when a `callOffered` event reaches the renderer;
// - `earshot:pop-painted` when the popped profile's name was first painted, taken from the Element
//   Timing API (the name carries `elementtiming="pop:<interactionId>:<local|center>"`), so it is the
//   paint itself, not a guess after a frame. Details carry the interaction id and the pop's source.
export const CALL_RECEIVED = 'earshot:call-received';
export const POP_PAINTED = 'earshot:pop-painted';

const mark = (name: string, options: PerformanceMarkOptions) => {
  try {
    performance.mark(name, options);
  } catch {
    // A mark is never worth breaking the screen for (e.g. an environment without User Timing).
  }
};

export function markCallReceived(interactionId: string): void {
  if (typeof performance === 'undefined') return;
  mark(CALL_RECEIVED, { detail: { interactionId } });
}

/** The elementtiming identifier of a popped profile's name. */
export const popPaintId = (interactionId: string, source: 'local' | 'center') => `pop:${interactionId}:${source}`;

interface ElementTiming extends PerformanceEntry {
  identifier: string;
  renderTime: number;
  loadTime: number;
}

/** Turns Element Timing entries of popped profiles into marks; returns the stop function. */
export function observePopPaints(): () => void {
  if (typeof PerformanceObserver === 'undefined' || !PerformanceObserver.supportedEntryTypes?.includes('element')) return () => undefined;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as ElementTiming[]) {
      const [kind, interactionId, source] = entry.identifier.split(':');
      if (kind !== 'pop' || !interactionId) continue;
      mark(POP_PAINTED, { startTime: entry.renderTime || entry.loadTime || entry.startTime, detail: { interactionId, source } });
    }
  });
  observer.observe({ type: 'element', buffered: true });
  return () => observer.disconnect();
}
