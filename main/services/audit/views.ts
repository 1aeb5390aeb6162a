// Who saw which customer, from this desktop's local copy: each pop, profile opened or search shown
// from the cache is queued for the center's audit trail (main/db recordCustomerViews: sync carries
// it, offline too). The same customer shown the same way again within a minute is not queued again,
// so typing a search does not queue a record per keystroke.
import { recordCustomerViews, type Db } from '../../db/index';
import { uuidv7 } from '../uuid';

export type ViewKind = 'popped' | 'opened' | 'searched';

const AGAIN_AFTER_MS = 60_000;
/** The most customers one record names (the protocol's bound); longer lists are split. */
const PER_RECORD = 50;

export interface ViewRecorder {
  viewed(customerIds: readonly string[], how: ViewKind): void;
}

export function createViewRecorder(opts: { db: Db; onLocalWrite(): void; now?: () => number; warn?: (message: string) => void }): ViewRecorder {
  const now = opts.now ?? Date.now;
  const recent = new Map<string, number>();
  return {
    viewed(customerIds, how) {
      const t = now();
      if (recent.size > 10_000) for (const [k, at] of recent) if (t - at >= AGAIN_AFTER_MS) recent.delete(k);
      const fresh = [...new Set(customerIds)].filter((id) => t - (recent.get(`${how}:${id}`) ?? -Infinity) >= AGAIN_AFTER_MS);
      if (fresh.length === 0) return;
      try {
        for (let i = 0; i < fresh.length; i += PER_RECORD) {
          recordCustomerViews(opts.db, { customerIds: fresh.slice(i, i + PER_RECORD), how }, { mutationId: uuidv7(), now: new Date(t).toISOString() });
        }
      } catch (err) {
        opts.warn?.(err instanceof Error ? err.message : 'unknown');
        return;
      }
      for (const id of fresh) recent.set(`${how}:${id}`, t);
      opts.onLocalWrite();
    },
  };
}
