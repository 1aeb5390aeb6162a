// Inbound mail attachments kept and served (migration 0025). The receiver keeps what fits its limits
// (10 MB a file, 20 MB a message: email/types.ts); each kept one is stored beside the message that
// carried it under an id derived from the tenant, the mail's Message-ID and its place in the message,
// so a redelivered mail names (and stores) the same ids again, once. The id is the `ref` of the
// message's attachment list, which the desk reads; dropped ones carry `dropped` and no ref.
//   GET /api/attachments/{ref}   the file, to the agent who holds or held the conversation (and to
//                                supervisors and admins of the tenant); anyone else, or an unknown id: 404
// Served as a download: Content-Disposition: attachment, the stored type only when it is on the safe
// list below (else application/octet-stream), X-Content-Type-Options: nosniff, and a CSP that runs nothing.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import contentDisposition from 'content-disposition';
import type { AttachmentMeta } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Db, Queryable } from '../db/db';
import type { DroppedAttachment, MailAttachment } from './email';

/** Types a browser may be told as they are: none of them runs script when opened. */
export const SAFE_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/zip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'text/plain',
  'text/csv',
  'audio/mpeg',
  'audio/wav',
  'video/mp4',
]);

/** The type an attachment is served with: its own (lower case, parameters dropped) when safe. */
export function servedContentType(stored: string): string {
  const bare = stored.split(';')[0]!.trim().toLowerCase();
  return SAFE_CONTENT_TYPES.has(bare) ? bare : 'application/octet-stream';
}

/** The id a kept attachment is stored under: the same for the same mail, in any tenant's own space. */
export function attachmentRef(tenantId: string, messageId: string, position: number): string {
  const h = createHash('sha256').update(`${tenantId}\n${messageId}\n${position}`).digest('hex');
  // Shaped as a UUID (version 8, "custom"), so it fits the column and reads like the other ids.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface KeptAttachment {
  ref: string;
  position: number;
  attachment: MailAttachment;
}

/** A mail's attachment list as the message records it (kept ones with their ref, then dropped ones with why), and what to store. */
export function mailAttachments(tenantId: string, messageId: string, kept: readonly MailAttachment[], dropped: readonly DroppedAttachment[]): { meta: AttachmentMeta[]; keep: KeptAttachment[] } {
  const keep = kept.map((attachment, position) => ({ ref: attachmentRef(tenantId, messageId, position), position, attachment }));
  const meta: AttachmentMeta[] = [
    ...keep.map((k) => ({ name: k.attachment.filename, contentType: k.attachment.contentType, size: k.attachment.size, ref: k.ref })),
    ...dropped.map((a) => ({ name: a.filename, contentType: a.contentType, size: a.size, dropped: a.reason })),
  ];
  return { meta, keep };
}

/** Stores the kept attachments of a stored message; storing them again (a redelivery) changes nothing. */
export async function storeAttachments(q: Queryable, tenantId: string, conversationId: string, seq: number, keep: readonly KeptAttachment[]): Promise<void> {
  for (const k of keep) {
    const a = k.attachment;
    await q.query(
      `INSERT INTO conversation_attachments (tenant_id, id, conversation_id, seq, position, filename, content_type, size, sha256, content)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [tenantId, k.ref, conversationId, seq, k.position, a.filename, a.contentType, a.size, a.sha256, a.content],
    );
  }
}

/** Roles that read any conversation's attachments of their tenant (they oversee the floor's work). */
const OVERSEERS = new Set(['supervisor', 'admin']);

export interface StoredAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * The attachment, when `who` may read it: of their tenant, and they hold the conversation now, held it
 * (accepted it last, or replied in it), or oversee the floor. Otherwise null, the same as an unknown id.
 */
export async function readAttachment(q: Queryable, who: Pick<Principal, 'tenantId' | 'userId' | 'role'>, ref: string): Promise<StoredAttachment | null> {
  const [row] = await q.query<{ filename: string; content_type: string; content: Uint8Array; allowed: boolean }>(
    `SELECT a.filename, a.content_type, a.content,
            ($4 OR c.holder_user_id = $3 OR i.agent_user_id = $3
               OR EXISTS (SELECT 1 FROM conversation_messages m WHERE m.conversation_id = c.id AND m.direction = 'out' AND m.author_user_id = $3)) AS allowed
       FROM conversation_attachments a
       JOIN conversations c ON c.tenant_id = a.tenant_id AND c.id = a.conversation_id
       LEFT JOIN interactions i ON i.tenant_id = c.tenant_id AND i.id = c.interaction_id
      WHERE a.tenant_id = $1 AND a.id = $2`,
    [who.tenantId, ref, who.userId, OVERSEERS.has(who.role)],
  );
  if (!row?.allowed) return null;
  return { filename: row.filename, contentType: row.content_type, content: Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength) };
}

const ROUTE = /^\/api\/attachments\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `GET /api/attachments/{ref}` for a signed-in user; true when it answered. */
export function createAttachmentsHttp(db: Db) {
  return async function handle(who: Principal, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith('/api/attachments/')) return false;
    const m = ROUTE.exec(url.pathname);
    const found = req.method === 'GET' && m ? await readAttachment(db, who, m[1]!) : null;
    if (!found) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'No such attachment, or it belongs to a conversation you have not held.' } }));
      return true;
    }
    res.writeHead(200, {
      'content-type': servedContentType(found.contentType),
      'content-length': String(found.content.length),
      'content-disposition': contentDisposition(found.filename, { type: 'attachment' }),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    });
    res.end(found.content);
    return true;
  };
}
