// Masking a log line must stay linear in its length: a 100,000-character note pasted without a
// space, reaching a log line through an error message, must not stall the desktop while it is masked.
// Baseline: one linear scan of the same text (a global replace of a character class).
import { maskText } from '../../main/services/logging/mask';
import type { Benchmark, BenchRow } from './harness';

/** The kinds of unbroken text that made the old email pattern quadratic: letters, and digits with dots. */
const texts = (n: number) => [
  ['letters', 'a'.repeat(n)],
  ['word chars and dots', 'ab.'.repeat(Math.ceil(n / 3)).slice(0, n)],
  ['an email-like run', `${'x'.repeat(n - 20)}@example`],
] as const;

function timeOnce(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
}

const bench: Benchmark = {
  name: 'log-mask',
  async run() {
    const rows: BenchRow[] = [];
    for (const n of [10_000, 40_000, 100_000]) {
      for (const [kind, text] of texts(n)) {
        const ms = timeOnce(() => maskText(text));
        const baseline = timeOnce(() => text.replace(/[^\s]/g, 'x'));
        rows.push({
          figure: `maskText, ${n.toLocaleString('en')} chars of ${kind}`,
          unit: 'ms',
          value: ms,
          baseline,
          goal: n === 100_000 ? { text: '≤ 50 ms', met: ms <= 50 } : undefined,
        });
      }
    }
    return rows;
  },
};
export default bench;
