// Masks what must never reach a log file: customers' and agents' names, phone numbers, emails,
// note and VOC text, passwords and tokens. Fields are masked by name; any other string is scanned
// for emails and phone numbers, so one slipped into an error message is caught too.

const MASKED = '[masked]';

/** Field names whose values are personal data or free text, whatever they hold. */
const SENSITIVE_KEYS = new Set(
  [
    'name', 'displayName', 'firstName', 'lastName', 'fullName', 'customerName', 'callerName', 'username', 'user',
    'phone', 'phones', 'phoneNumber', 'ani', 'dnis', 'msisdn', 'email', 'emails', 'address', 'identities',
    'text', 'note', 'notes', 'noteText', 'body', 'description', 'topic', 'query', 'comment',
    'password', 'token', 'secret', 'authorization', 'cookie',
  ].map((k) => k.toLowerCase()),
);

// An address's local part is at most 64 characters and a domain label at most 63 (RFC 5321): with
// the runs bounded, a search that starts inside a long unbroken text (a 100,000-character note
// pasted without a space) gives up after 64 characters instead of scanning to the end from every
// position, so masking stays linear (tests/bench/log-mask.bench.ts).
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10}/g;
// A run of digits, spaces, hyphens and parentheses (optionally after +), ending in a digit, that
// holds seven or more digits. Word characters and hyphens around it exclude UUIDs and ids; dots
// are not separators, so IP addresses and versions survive; dates are let through. The run is
// bounded (no phone number is longer) and has no nested quantifier, so scanning stays linear:
// a logger must not be stalled by a long string of digits.
const PHONE_RUN = /(?<![\w-])\+?[\d(][\d\s()-]{0,30}\d(?![\w-])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function maskPhone(run: string): string {
  const digits = run.replace(/\D/g, '').length;
  return digits >= 7 && !ISO_DATE.test(run) ? '[phone]' : run;
}

/** The patterns maskText scans every log line with; each repetition in them is bounded (mask.test.ts checks). */
export const SCANNING_PATTERNS: readonly RegExp[] = [EMAIL, PHONE_RUN];

export function maskText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE_RUN, maskPhone);
}

export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEYS.has(key.toLowerCase());

/** A masked, JSON-safe copy of anything a service hands the logger. Depth and size are bounded. */
export function maskForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskText(value.length > 4000 ? `${value.slice(0, 4000)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (depth >= 6) return '[deep]';
  if (value instanceof Error) return { name: value.name, message: maskText(value.message), code: (value as NodeJS.ErrnoException).code };
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => maskForLog(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value).slice(0, 100)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = isSensitiveKey(key) && v !== null && v !== undefined ? MASKED : maskForLog(v, depth + 1);
  }
  return out;
}
