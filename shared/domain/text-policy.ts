// The one text policy: which characters a person's text may carry into Earshot, and what each door
// does with the rest. Refused (or stripped) are the characters no one types on purpose and that
// break what stores or shows text: the C0 controls except tab, line feed and carriage return (NUL
// among them, which PostgreSQL cannot store in text or jsonb at all), DEL, the C1 controls, and lone
// UTF-16 surrogates (half a character: encoders silently turn them into U+FFFD and jsonb refuses them).
//
// Per door (issue 20):
// - the DesktopApi CLEANS (`cleanText`, `cleanTexts`): what the agent typed or pasted is saved without
//   the invisible characters, never refused, so a note is never lost to a NUL copied from a PDF;
// - the sync protocol, the other socket requests and the HTTP login REFUSE (`policyText`): the center
//   never guesses at a desktop's data; a mutation an older desktop queued with such text is refused
//   alone, with the reason (`textFault`), and never blocks the ones behind it;
// - the CTI webhook refuses (400, naming the field) so the integrator fixes the sender; the CSV import
//   refuses the row (its line and column named);
// - what telephony already delivered (CtiEvent) is cleaned: a call is never dropped for it.
import { z } from 'zod';

// Code units, not code points (no `u` flag), so a lone surrogate is seen for what it is.
const CONTROL = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const FAULT = new RegExp(`[${CONTROL}]|${LONE_SURROGATE}`);
const CONTROLS_G = new RegExp(`[${CONTROL}]`, 'g');
const LONE_SURROGATES_G = new RegExp(LONE_SURROGATE, 'g');

const hex = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * What the policy refuses in `text`, said so a person can find and fix it (the character's code and
 * where it sits, never the text around it); null when the text is fine.
 */
export function textFault(text: string): string | null {
  const found = FAULT.exec(text);
  if (!found) return null;
  const unit = found[0].charCodeAt(0);
  const at = `at character ${found.index + 1}`;
  return unit >= 0xd800 && unit <= 0xdfff
    ? `a broken character (half of a character pair, ${hex(unit)}) ${at}`
    : `an invisible control character (${hex(unit)}) ${at}, as text pasted from a PDF or a terminal may carry`;
}

/** `text` as the policy keeps it: control characters removed, a lone surrogate replaced by U+FFFD. */
export function cleanText(text: string): string {
  if (!FAULT.test(text)) return text;
  return text.replace(CONTROLS_G, '').replace(LONE_SURROGATES_G, '\ufffd');
}

/**
 * Every string in a JSON-like value cleaned (`cleanText`), keys too; the value itself when nothing
 * changed. Objects are copied key by key as own properties (a `__proto__` key stays a key, never
 * becomes a prototype); anything but plain objects and arrays is left as it is.
 */
export function cleanTexts(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => cleanTexts(v, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const entries = Object.keys(value).map((k) => [k, cleanText(k), cleanTexts((value as Record<string, unknown>)[k], depth + 1)] as const);
  if (entries.every(([k, key, v]) => k === key && v === (value as Record<string, unknown>)[k])) return value;
  const out: Record<string, unknown> = {};
  for (const [, key, v] of entries) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** For `.superRefine`: an issue naming what the policy refuses in the text (which character, where). */
export function refuseTextFaults(text: string, ctx: z.RefinementCtx): void {
  const fault = textFault(text);
  if (fault) ctx.addIssue({ code: 'custom', message: `holds ${fault}; remove it and send again` });
}

/** A person's text on the wire: at most `max` characters, none the policy refuses. */
export const policyText = (max: number) => z.string().max(max).superRefine(refuseTextFaults);

/** `schema`, after every string of the input has been cleaned (`cleanTexts`): the DesktopApi's door. */
export const cleaned = <S extends z.ZodTypeAny>(schema: S) => z.preprocess((raw) => cleanTexts(raw), schema);
