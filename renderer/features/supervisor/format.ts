// How the supervisor view writes its figures: percentages, seconds, and a dash for "no calls yet".
export const NO_FIGURE = '–';
export const percent = (v: number | null) => (v === null ? NO_FIGURE : `${Math.round(v * 100)}%`);
export const seconds = (v: number | null) => (v === null ? NO_FIGURE : `${Math.round(v)} s`);
