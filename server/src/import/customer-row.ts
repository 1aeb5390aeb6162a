// The customer CSV's columns and the validation of one row: what an administrator's file must look
// like, and how each cell becomes part of a customer (phones normalised to E.164, emails lower-cased).
import { regexes } from 'zod';
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

const YES = new Set(['true', 'yes', 'y', '1']);
const NO = new Set(['false', 'no', 'n', '0', '']);
const LANGUAGE = /^$|^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** The pattern zod's z.email() checks with (the one this import used before), taken from zod itself so both agree. */
const EMAIL = regexes.email;
const Social = /^[a-z][a-z0-9_.-]{0,30}:@?[\p{L}\p{N}_.-]{1,100}$/u;

const list = (value: string): string[] =>
  value
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

/** A consent cell: true, false, or undefined when it is not a yes or a no. */
function yesNo(cell: string): boolean | undefined {
  const v = cell.trim().toLowerCase();
  return YES.has(v) ? true : NO.has(v) ? false : undefined;
}
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

/**
 * Validates one data row against the header. Reasons name the column, never echo the cell (it may be
 * personal data); the first column at fault, in the order documented above, is the row's reason.
 *
 * Checked by hand, not by a schema object: a file has millions of rows, and the zod object this
 * replaced (same rules, same words) ran at about 45,000 rows/s, slower alone than the import's goal
 * (issue 22). Trimmed lengths are counted in UTF-16 code units, as zod counted them.
 */
export function parseCustomerRow(header: CustomerHeader, fields: string[], headerWidth: number): RowResult {
  const cells = cellsOf(header, fields, headerWidth);
  if (typeof cells === 'string') return { ok: false, reason: cells };
  const fault = (column: CustomerColumn, what: string): RowResult => ({ ok: false, reason: `Column ${column} ${what}.` });
  const externalId = (cells.external_id ?? '').trim();
  if (externalId.length === 0) return fault('external_id', 'is empty');
  if (externalId.length > 64) return fault('external_id', 'is longer than 64 characters');
  const displayName = (cells.display_name ?? '').trim();
  if (displayName.length === 0) return fault('display_name', 'is empty');
  if (displayName.length > 200) return fault('display_name', 'is longer than 200 characters');
  let language = cells.language;
  if (language !== undefined) {
    language = language.trim();
    if (language.length > 16) return fault('language', 'is longer than 16 characters');
    if (!LANGUAGE.test(language)) return fault('language', 'is not a language tag such as ko or en-US');
  }
  let segment = cells.segment;
  if (segment !== undefined) {
    segment = segment.trim();
    if (segment.length > 64) return fault('segment', 'is longer than 64 characters');
  }
  const countryCell = cells.country?.trim().toUpperCase();
  if (countryCell !== undefined && countryCell !== '' && countryCell !== 'KR' && countryCell !== 'US') return fault('country', 'must be KR or US');
  const consent: CustomerRowValue['consent'] = {};
  for (const key of ['phone', 'email', 'sms'] as const) {
    const cell = cells[`consent_${key}`];
    if (cell === undefined) continue;
    const given = yesNo(cell);
    if (given === undefined) return fault(`consent_${key}`, 'must be true or false');
    consent[key] = given;
  }

  const country = countryCell === 'US' ? 'US' : 'KR';
  const identities: Identity[] = [];
  const phones = cells.phone;
  if (phones) {
    for (const phone of list(phones)) {
      const e164 = toE164(phone, country);
      if (!e164) return { ok: false, reason: 'Column phone holds a number that is not a valid phone number (set country to KR or US for numbers without +).' };
      identities.push({ kind: 'phone', value: e164 });
    }
  }
  const emails = cells.email;
  if (emails) {
    for (const email of list(emails)) {
      const value = email.toLowerCase();
      if (!EMAIL.test(value) || value.length > 320) return { ok: false, reason: 'Column email holds an address that is not a valid email address.' };
      identities.push({ kind: 'email', value });
    }
  }
  const socials = cells.social;
  if (socials) {
    for (const social of list(socials)) {
      if (!Social.test(social)) return { ok: false, reason: 'Column social must hold network:@handle, e.g. x:@minji.' };
      const [network, handle] = [social.slice(0, social.indexOf(':')), social.slice(social.indexOf(':') + 1)];
      identities.push({ kind: 'social', value: `${network}:${handle.startsWith('@') ? handle : `@${handle}`}` });
    }
  }
  return {
    ok: true,
    value: {
      externalId,
      displayName,
      ...(language !== undefined ? { language: language === '' ? 'und' : language } : {}),
      ...(segment !== undefined ? { segment: segment === '' ? null : segment } : {}),
      consent,
      identities: identities.length < 2 ? identities : [...new Map(identities.map((i) => [`${i.kind}:${i.value}`, i])).values()],
    },
  };
}
