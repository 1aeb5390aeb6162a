// Keyed name-based UUIDs: a switch's own call id always becomes the same interaction id, so repeated
// or reordered events about one call land on one interaction; and since the name is hashed with the
// tenant's secret (tenant_keys, call-ids.ts), no one without it can tell which id a call will get —
// another tenant's switch cannot take a tenant's future ids.
import { createHmac } from 'node:crypto';

/** A version-8 (RFC 9562, custom) UUID from HMAC-SHA-256 of `name` under `key`. */
export function keyedUuid(key: string, name: string): string {
  const hash = createHmac('sha256', key).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x80;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
