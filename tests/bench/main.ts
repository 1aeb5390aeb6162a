// Runs the benchmarks one after the other (never in parallel: they would measure each other).
import { loadBenchmarks, printTable, type BenchRow } from './harness';

const only = process.argv.slice(2);
const benches = await loadBenchmarks(import.meta.dirname, only);
if (benches.length === 0) {
  console.error(`No benchmark matched ${only.join(', ') || '(none found)'}.`);
  process.exit(1);
}
const rows: Array<BenchRow & { bench: string }> = [];
for (const bench of benches) {
  const started = Date.now();
  process.stderr.write(`running ${bench.name}… `);
  for (const row of await bench.run()) rows.push({ ...row, bench: bench.name });
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
console.log('');
printTable(rows);
