// A desktop's sync client id is bound to the user who first pushed with it (sync_clients): another
// user signing in with that desktop profile is refused, so nobody pushes under someone else's seq.
import type { WireError } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Queryable } from '../db/db';

export async function checkSyncClient(q: Queryable, clientId: string, who: Principal): Promise<WireError | null> {
  const [bound] = await q.query<{ user_id: string }>('SELECT user_id FROM sync_clients WHERE client_id = $1', [clientId]);
  if (!bound || bound.user_id === who.userId) return null;
  return { code: 'forbidden', message: 'This sync client id belongs to another user. Each person signs in with a desktop profile of their own.' };
}
