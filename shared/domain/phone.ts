// Phone number normalisation to E.164 for the markets Earshot serves first (KR, US/CA).
// Pure: used by the center (CTI, CSV import), the desktop (screen pop) and the renderer (display).

const DIGITS = /\d/g;

/** Normalises a dialled or displayed number to E.164 (`+821012345678`), or null if it cannot be one. */
export function toE164(raw: string, defaultCountry: 'KR' | 'US' = 'KR'): string | null {
  if (typeof raw !== 'string' || raw.length > 64) return null;
  const trimmed = raw.trim();
  const digits = (trimmed.match(DIGITS) ?? []).join('');
  if (digits.length === 0) return null;
  let e164: string;
  if (trimmed.startsWith('+')) e164 = `+${digits}`;
  else if (digits.startsWith('00')) e164 = `+${digits.slice(2)}`;
  else if (digits.startsWith('001')) e164 = `+${digits.slice(3)}`;
  else if (defaultCountry === 'KR' && digits.startsWith('0')) e164 = `+82${digits.slice(1)}`;
  else if (defaultCountry === 'US' && digits.length === 10) e164 = `+1${digits}`;
  else if (digits.length === 11 && digits.startsWith('1')) e164 = `+${digits}`;
  else if (defaultCountry === 'KR' && digits.startsWith('82')) e164 = `+${digits}`;
  else return null;
  // E.164: a country code and subscriber number, 8 to 15 digits in all.
  return /^\+[1-9]\d{7,14}$/.test(e164) ? e164 : null;
}

/** Formats an E.164 number the way a person of that country writes it; unknown shapes are returned as is. */
export function formatPhone(e164: string): string {
  const kr = /^\+82(1\d)(\d{3,4})(\d{4})$/.exec(e164);
  if (kr) return `0${kr[1]}-${kr[2]}-${kr[3]}`;
  const krSeoul = /^\+822(\d{3,4})(\d{4})$/.exec(e164);
  if (krSeoul) return `02-${krSeoul[1]}-${krSeoul[2]}`;
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (nanp) return `+1 (${nanp[1]}) ${nanp[2]}-${nanp[3]}`;
  return e164;
}
