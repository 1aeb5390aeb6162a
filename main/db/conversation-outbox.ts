// The conversation outbox (migration 0006): replies to chats and emails written on this desktop, kept
// until the center has stored them. Sent oldest first, each with its own client mutation id on every
// try; a reply the center refuses for good stays (marked refused) so the agent can copy its text.
import type { Db } from './connection';
import { cached } from './statements';

export interface QueuedReply {
  clientMutationId: string;
  conversationId: string;
  text: string;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  refused: boolean;
}

interface Row {
  client_mutation_id: string;
  conversation_id: string;
  text: string;
  created_at: string;
  attempts: number;
  last_error: string | null;
  refused: number;
}
const COLUMNS = 'client_mutation_id, conversation_id, text, created_at, attempts, last_error, refused';
const toReply = (r: Row): QueuedReply => ({
  clientMutationId: r.client_mutation_id,
  conversationId: r.conversation_id,
  text: r.text,
  createdAt: r.created_at,
  attempts: r.attempts,
  lastError: r.last_error,
  refused: r.refused === 1,
});

/** Keeps a reply to send; its place in line is after every reply written before it. */
export function queueReply(db: Db, reply: { clientMutationId: string; conversationId: string; text: string; createdAt: string }): void {
  cached(db, `INSERT INTO conversation_outbox (client_mutation_id, seq, conversation_id, text, created_at)
    VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM conversation_outbox), ?, ?, ?)`).run(reply.clientMutationId, reply.conversationId, reply.text, reply.createdAt);
}

/** Every reply not yet stored by the center, in the order written (refused ones included). */
export function queuedReplies(db: Db): QueuedReply[] {
  return (cached(db, `SELECT ${COLUMNS} FROM conversation_outbox ORDER BY seq`).all() as Row[]).map(toReply);
}

/** The next reply to send: the oldest one the center has not refused. */
export function nextReplyToSend(db: Db): QueuedReply | null {
  const row = cached(db, `SELECT ${COLUMNS} FROM conversation_outbox WHERE refused = 0 ORDER BY seq LIMIT 1`).get() as Row | undefined;
  return row ? toReply(row) : null;
}

/** A try that did not go through: counted, with why; `refused` when it must never be sent again. */
export function replyTried(db: Db, clientMutationId: string, error: string, refused: boolean): void {
  cached(db, 'UPDATE conversation_outbox SET attempts = attempts + 1, last_error = ?, refused = ? WHERE client_mutation_id = ?').run(error, refused ? 1 : 0, clientMutationId);
}

/** The center stored it (or the agent gave up a refused one): it leaves the outbox. */
export function replyDone(db: Db, clientMutationId: string): void {
  cached(db, 'DELETE FROM conversation_outbox WHERE client_mutation_id = ?').run(clientMutationId);
}
