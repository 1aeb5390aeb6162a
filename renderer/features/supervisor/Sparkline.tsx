// A small inline SVG line of today's buckets (no chart library: a trend, not an analysis tool).
import { memo } from 'react';

export const Sparkline = memo(function Sparkline({ values, max, label }: { values: Array<number | null>; max?: number; label: string }) {
  const width = 80;
  const height = 20;
  const known = values.filter((v): v is number => v !== null);
  const top = max ?? Math.max(1, ...known);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  // A bucket with no figure (no calls) breaks the line rather than pretending to be zero.
  const path = values
    .map((v, i) => (v === null ? null : `${i === 0 || values[i - 1] === null ? 'M' : 'L'}${(i * step).toFixed(1)},${(height - (v / top) * height).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <path d={path} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
});
