// How the supervisor view writes its figures: percentages, seconds, and a dash for "no calls yet".
export const NO_FIGURE = '–';
export const percent = (v: number | null) => (v === null ? NO_FIGURE : `${Math.round(v * 100)}%`);
export const seconds = (v: number | null) => (v === null ? NO_FIGURE : `${Math.round(v)} s`);
/** A wait that may run to hours (an email): "45 s", "12:05", "2:05:00". */
export const waitTime = (v: number | null) => {
  if (v === null) return NO_FIGURE;
  const s = Math.max(0, Math.round(v));
  if (s < 60) return `${s} s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
};
