// How the caller's number is shown: normalised to E.164 when possible, then written the way its
// country writes it.
import { formatPhone, toE164 } from '../../../shared/domain/phone';

export function displayCallerNumber(ani: string): string {
  const e164 = toE164(ani);
  return e164 ? formatPhone(e164) : ani;
}
