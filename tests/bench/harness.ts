// Benchmark rows and their table. Every figure is measured in the same run as its baseline, and the
// ratio says how the figure compares (>1 means slower/larger than the baseline for times and sizes).
import { readdirSync } from 'node:fs';
import path from 'node:path';

export interface BenchRow {
  figure: string;
  unit: string;
  value: number;
  /** The same measurement on the simplest thing that does the job, measured now; null when there is none. */
  baseline: number | null;
  /** What the issue asks for, in words (e.g. "p95 ≤ 1 ms"), and whether it was met. */
  goal?: { text: string; met: boolean };
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchRow[]>;
}

export function percentile(sortedAscending: number[], p: number): number {
  if (sortedAscending.length === 0) return NaN;
  const index = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAscending.length) - 1));
  return sortedAscending[index]!;
}

/** Times `fn` `n` times (after `warmup` untimed calls) and returns sorted durations in milliseconds. */
export function timeMany(n: number, fn: (i: number) => void, warmup = Math.min(200, n)): number[] {
  for (let i = 0; i < warmup; i++) fn(i);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    out[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return out.sort((a, b) => a - b);
}

const fmt = (v: number | null) => (v === null ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4));

export function printTable(rows: Array<BenchRow & { bench: string }>): void {
  const header = ['benchmark', 'figure', 'value', 'unit', 'baseline', 'ratio', 'goal'];
  const body = rows.map((r) => [
    r.bench,
    r.figure,
    fmt(r.value),
    r.unit,
    fmt(r.baseline),
    r.baseline ? `${(r.value / r.baseline).toFixed(2)}x` : '—',
    r.goal ? `${r.goal.text} ${r.goal.met ? 'met' : 'NOT met'}` : '—',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(line(row));
}

export async function loadBenchmarks(dir: string, only: string[]): Promise<Benchmark[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const benches: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as { default: Benchmark };
    if (!only.length || only.includes(mod.default.name)) benches.push(mod.default);
  }
  return benches;
}
