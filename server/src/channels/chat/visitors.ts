// Web chat visitors: a session token per visitor (only its hash is stored), matched to a customer when
// the tenant's site vouches for them, and the tenant's chat identity secrets that vouching is checked with.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chatIdentityPayload, type ChatSessionRequest, type ChatSessionResponse, type ChatSiteIdentity } from '../../../../shared/protocol/webchat';
import { hashToken } from '../../auth/sessions';
import { acceptedSecrets, makeRotatingSecret } from '../../base/rotating-secrets';
import { CenterError } from '../../base/errors';
import type { Db, Queryable } from '../../db/db';

/** A visitor's token is good this long after they opened the chat (a returning visitor gets a new one). */
export const VISITOR_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** A site's signature is accepted this long after it was made (and this far ahead, for clock skew). */
export const IDENTITY_MAX_AGE_S = 600;

export interface Visitor {
  tenantId: string;
  id: string;
  displayName: string | null;
  email: string | null;
  verified: boolean;
  customerId: string | null;
}

/** Makes a new chat identity secret for the tenant; the previous one keeps working for a day. */
export const createChatIdentitySecret = (db: Db, tenantId: string): Promise<string> => makeRotatingSecret(db, 'chat_identity_secrets', tenantId, 'chatsec');

async function identitySecrets(q: Queryable, tenantId: string, now: number): Promise<string[]> {
  const rows = await q.query<{ secret: string; created_at: Date | string }>(
    'SELECT secret, created_at FROM chat_identity_secrets WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 2',
    [tenantId],
  );
  return acceptedSecrets(rows, now);
}

/** The signature a tenant's site puts on a signed-in user (what `sig` must be). */
export const signChatIdentity = (secret: string, identity: Omit<ChatSiteIdentity, 'sig'>): string =>
  createHmac('sha256', secret).update(chatIdentityPayload(identity)).digest('hex');

/** Why a site identity is refused, or null when one of the tenant's secrets signed it recently. */
export async function checkSiteIdentity(q: Queryable, tenantId: string, identity: ChatSiteIdentity, now: number): Promise<string | null> {
  const age = now / 1000 - identity.ts;
  if (age > IDENTITY_MAX_AGE_S || age < -IDENTITY_MAX_AGE_S) return `the identity was signed ${Math.round(age)} s ago; sign it when the page is served (accepted for ${IDENTITY_MAX_AGE_S} s)`;
  const secrets = await identitySecrets(q, tenantId, now);
  if (secrets.length === 0) return 'this tenant has no chat identity secret; an administrator makes one with "earshot-center tenant set-chat-secret"';
  const given = Buffer.from(identity.sig, 'hex');
  const ok = secrets.some((s) => {
    const expected = Buffer.from(signChatIdentity(s, identity), 'hex');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return ok ? null : "the identity's signature does not match the tenant's chat identity secret";
}

/**
 * Opens a chat session for a visitor of the tenant's site. A vouched-for visitor is matched to the
 * customer holding their email address (when there is one); a forged or stale identity is refused,
 * never downgraded to an anonymous chat, so the site learns its signing is wrong.
 */
export async function openVisitorSession(db: Db, req: ChatSessionRequest, now = Date.now()): Promise<ChatSessionResponse> {
  const [tenant] = await db.query<{ id: string }>('SELECT id FROM tenants WHERE id = $1', [req.tenant]);
  if (!tenant) throw new CenterError('not_found', `No tenant ${req.tenant}: check the widget's data-tenant.`);
  let verified = false;
  let customerId: string | null = null;
  if (req.identity) {
    const refused = await checkSiteIdentity(db, req.tenant, req.identity, now);
    if (refused) throw new CenterError('unauthenticated', `The visitor's identity was refused: ${refused}.`);
    verified = true;
    if (req.identity.email) {
      const [c] = await db.query<{ id: string }>(
        `SELECT COALESCE(c.merged_into, c.id) AS id FROM customer_identities i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
          WHERE i.tenant_id = $1 AND i.kind = 'email' AND i.value = $2 LIMIT 1`,
        [req.tenant, req.identity.email.toLowerCase()],
      );
      customerId = c?.id ?? null;
    }
  }
  const id = randomUUID();
  const token = `chv-${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now + VISITOR_TOKEN_TTL_MS);
  await db.query(
    `INSERT INTO chat_visitors (tenant_id, id, token_hash, display_name, email, external_id, verified, customer_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [req.tenant, id, hashToken(token), req.identity?.name ?? req.name ?? null, req.identity?.email?.toLowerCase() ?? null, req.identity?.externalId ?? null, verified, customerId, expiresAt],
  );
  // Expired visitors are forgotten as new ones arrive (their conversations stay with the customer).
  await db.query('DELETE FROM chat_visitors WHERE expires_at < $1', [new Date(now)]);
  return { visitorId: id, token, verified, expiresAt: expiresAt.toISOString() };
}

/** The visitor a token belongs to, or null when it is unknown or expired. */
export async function visitorOf(q: Queryable, token: string, now = Date.now()): Promise<Visitor | null> {
  const [row] = await q.query<{ tenant_id: string; id: string; display_name: string | null; email: string | null; verified: boolean; customer_id: string | null }>(
    'SELECT tenant_id, id::text AS id, display_name, email, verified, customer_id::text AS customer_id FROM chat_visitors WHERE token_hash = $1 AND expires_at > $2',
    [hashToken(token), new Date(now)],
  );
  return row ? { tenantId: row.tenant_id, id: row.id, displayName: row.display_name, email: row.email, verified: row.verified, customerId: row.customer_id } : null;
}
