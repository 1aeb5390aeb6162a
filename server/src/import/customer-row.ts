// The customer CSV's columns and the validation of one row: what an administrator's file must look
// like, and how each cell becomes part of a customer (phones normalised to E.164, emails lower-cased).
import { z } from 'zod';
import { toE164, type Identity } from '../../../shared/domain/index';
import { cellsOf, readHeader } from './csv-import';

/**
 * Columns, by header name (case-insensitive, any order; unknown columns are ignored):
 *   external_id    required  the customer's id in the source system; rows are upserted by it
 *   display_name   required  the name agents see
 *   phone                    one or more numbers separated by `;`, as people write them
 *   email                    one or more addresses separated by `;`
 *   social                   one or more `network:@handle` separated by `;` (e.g. `x:@minji`)
 *   language                 BCP-47 tag, e.g. `ko`, `en`, `en-US`
 *   segment                  free text, up to 64 characters
 *   country                  `KR` or `US`: how a phone number without `+` is read (default KR)
 *   consent_phone, consent_email, consent_sms   true/false, yes/no, y/n, 1/0
 * A column present in the header is authoritative for every row (an empty cell clears it); a
 * column absent leaves what the center already has. Identities are added, never removed.
 */
export const REQUIRED_COLUMNS = ['external_id', 'display_name'] as const;
export const OPTIONAL_COLUMNS = [
  'phone', 'email', 'social', 'language', 'segment', 'country', 'consent_phone', 'consent_email', 'consent_sms',
] as const;
export type CustomerColumn = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Where each known column sits in the file. */
export type CustomerHeader = Map<CustomerColumn, number>;

export const parseCustomerHeader = (fields: string[]): CustomerHeader => readHeader<CustomerColumn>(fields, REQUIRED_COLUMNS, OPTIONAL_COLUMNS);

const yesNo = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', 'yes', 'no', 'y', 'n', '1', '0', ''].includes(v), { message: 'must be true or false' })
  .transform((v) => ['true', 'yes', 'y', '1'].includes(v));
const list = (value: string): string[] =>
  value
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

const RowSchema = z.object({
  external_id: z.string().trim().min(1, 'is empty').max(64, 'is longer than 64 characters'),
  display_name: z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters'),
  phone: z.string().optional(),
  email: z.string().optional(),
  social: z.string().optional(),
  language: z
    .string()
    .trim()
    .max(16, 'is longer than 16 characters')
    .regex(/^$|^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'is not a language tag such as ko or en-US')
    .optional(),
  segment: z.string().trim().max(64, 'is longer than 64 characters').optional(),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => v === '' || v === 'KR' || v === 'US', { message: 'must be KR or US' })
    .optional(),
  consent_phone: yesNo.optional(),
  consent_email: yesNo.optional(),
  consent_sms: yesNo.optional(),
});
const Email = z.email();
const Social = /^[a-z][a-z0-9_.-]{0,30}:@?[\p{L}\p{N}_.-]{1,100}$/u;

/** A valid row, ready to upsert. Fields are undefined when their column is not in the file. */
export interface CustomerRowValue {
  externalId: string;
  displayName: string;
  language?: string;
  segment?: string | null;
  consent: { phone?: boolean; email?: boolean; sms?: boolean };
  identities: Identity[];
}

export type RowResult = { ok: true; value: CustomerRowValue } | { ok: false; reason: string };

/** Validates one data row against the header. Reasons name the column, never echo the cell (it may be personal data). */
export function parseCustomerRow(header: CustomerHeader, fields: string[], headerWidth: number): RowResult {
  const raw = cellsOf(header, fields, headerWidth);
  if (typeof raw === 'string') return { ok: false, reason: raw };
  const parsed = RowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `Column ${String(issue?.path[0] ?? '?')} ${issue?.message ?? 'is not valid'}.` };
  }
  const row = parsed.data;
  const country = row.country === 'US' ? 'US' : 'KR';
  const identities: Identity[] = [];
  for (const phone of list(row.phone ?? '')) {
    const e164 = toE164(phone, country);
    if (!e164) return { ok: false, reason: 'Column phone holds a number that is not a valid phone number (set country to KR or US for numbers without +).' };
    identities.push({ kind: 'phone', value: e164 });
  }
  for (const email of list(row.email ?? '')) {
    const value = email.toLowerCase();
    if (!Email.safeParse(value).success || value.length > 320) return { ok: false, reason: 'Column email holds an address that is not a valid email address.' };
    identities.push({ kind: 'email', value });
  }
  for (const social of list(row.social ?? '')) {
    if (!Social.test(social)) return { ok: false, reason: 'Column social must hold network:@handle, e.g. x:@minji.' };
    const [network, handle] = [social.slice(0, social.indexOf(':')), social.slice(social.indexOf(':') + 1)];
    identities.push({ kind: 'social', value: `${network}:${handle.startsWith('@') ? handle : `@${handle}`}` });
  }
  const unique = new Map(identities.map((i) => [`${i.kind}:${i.value}`, i]));
  return {
    ok: true,
    value: {
      externalId: row.external_id,
      displayName: row.display_name,
      ...(row.language !== undefined ? { language: row.language === '' ? 'und' : row.language } : {}),
      ...(row.segment !== undefined ? { segment: row.segment === '' ? null : row.segment } : {}),
      consent: {
        ...(row.consent_phone !== undefined ? { phone: row.consent_phone } : {}),
        ...(row.consent_email !== undefined ? { email: row.consent_email } : {}),
        ...(row.consent_sms !== undefined ? { sms: row.consent_sms } : {}),
      },
      identities: [...unique.values()],
    },
  };
}
