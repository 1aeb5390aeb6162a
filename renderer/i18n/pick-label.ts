// A name the center keeps per language: the one for the UI's language, else its base language (`en`
// for `en-GB`), else the name as given.
import type { Labels } from '../../shared/domain/entities';

export function pickLabel(labels: Labels | undefined, fallback: string, locale: string): string {
  if (!labels) return fallback;
  return labels[locale] ?? labels[locale.split('-')[0]!] ?? fallback;
}
