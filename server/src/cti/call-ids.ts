// Each tenant's secret for interaction ids derived from a switch's call ids (migration 0015): made on
// first use by whichever node asks first (the others read the same row) and never changed, so a call
// keeps its id across nodes, restarts and a CTI takeover.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db';

export type CallIdKeys = (tenantId: string) => Promise<string>;

export function createCallIdKeys(db: Db): CallIdKeys {
  const known = new Map<string, Promise<string>>();
  const read = async (tenantId: string): Promise<string> => {
    await db.query('INSERT INTO tenant_keys (tenant_id, call_id_key) VALUES ($1, $2) ON CONFLICT (tenant_id) DO NOTHING', [
      tenantId,
      randomBytes(32).toString('base64url'),
    ]);
    const [row] = await db.query<{ call_id_key: string }>('SELECT call_id_key FROM tenant_keys WHERE tenant_id = $1', [tenantId]);
    if (!row) throw new Error(`No call id key for tenant ${tenantId}.`);
    return row.call_id_key;
  };
  return (tenantId) => {
    let key = known.get(tenantId);
    if (!key) {
      key = read(tenantId);
      known.set(tenantId, key);
      key.catch(() => known.delete(tenantId));
    }
    return key;
  };
}
