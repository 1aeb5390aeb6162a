// Translation and locale-aware formatting: the one place the UI turns keys, dates and numbers into
// text for the agent's language (phone numbers use shared/domain/phone's formatPhone, per country).
import { en, type MessageKey } from './en';
import { ko } from './ko';

export type { MessageKey } from './en';
export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ko: '한국어' };

export const catalogues: Record<Locale, Record<MessageKey, string>> = { en, ko };

export type MessageParams = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[locale][key] ?? en[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** The first of the browser's/OS's preferred languages we have a catalogue for; English otherwise. */
export function detectLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    const match = LOCALES.find((l) => l === base);
    if (match) return match;
  }
  return 'en';
}

const BCP47: Record<Locale, string> = { en: 'en-US', ko: 'ko-KR' };

// Building an Intl formatter costs far more than formatting: one per locale, made once (a long
// history formats a date per row on every scroll).
const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

export function formatDateTime(locale: Locale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dateTimeFormats.get(locale);
  if (!format) dateTimeFormats.set(locale, (format = new Intl.DateTimeFormat(BCP47[locale], { dateStyle: 'medium', timeStyle: 'short' })));
  return format.format(date);
}

export function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale);
  if (!format) numberFormats.set(locale, (format = new Intl.NumberFormat(BCP47[locale], { maximumFractionDigits: 0 })));
  return format.format(value);
}

const percentFormats = new Map<Locale, Intl.NumberFormat>();

/** A share (0–1) as a percentage with at most one decimal, e.g. 0.125 → "12.5%". */
export function formatPercent(locale: Locale, share: number): string {
  let format = percentFormats.get(locale);
  if (!format) percentFormats.set(locale, (format = new Intl.NumberFormat(BCP47[locale], { style: 'percent', maximumFractionDigits: 1 })));
  return format.format(share);
}

const timeFormats = new Map<Locale, Intl.DateTimeFormat>();

/** The time of day (hours and minutes), e.g. for "offline, as of 14:05". */
export function formatTime(locale: Locale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = timeFormats.get(locale);
  if (!format) timeFormats.set(locale, (format = new Intl.DateTimeFormat(BCP47[locale], { timeStyle: 'short' })));
  return format.format(date);
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

/** A day without its time, e.g. "customer since 15 Apr 2019". */
export function formatDate(locale: Locale, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dateFormats.get(locale);
  if (!format) dateFormats.set(locale, (format = new Intl.DateTimeFormat(BCP47[locale], { dateStyle: 'medium' })));
  return format.format(date);
}

const languageNames = new Map<Locale, Intl.DisplayNames>();

/** A BCP-47 language's name in the UI's language (`ko` → "Korean" / "한국어"); null when unknown or undetermined. */
export function formatLanguage(locale: Locale, tag: string): string | null {
  if (!tag || tag === 'und') return null;
  let names = languageNames.get(locale);
  if (!names) languageNames.set(locale, (names = new Intl.DisplayNames([BCP47[locale]], { type: 'language', fallback: 'none' })));
  try {
    return names.of(tag) ?? null;
  } catch {
    return null; // not a well-formed tag
  }
}
