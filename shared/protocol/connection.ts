// Getting connected: the schema version both ends compare, login and health over HTTP, and the
// socket.io handshake.
import { z } from 'zod';
import { IsoTime, Role, Uuid } from '../domain/entities';
import { PASSWORD_MAX_CHARS, TENANT_MAX_CHARS, USERNAME_MAX_CHARS } from '../domain/field-limits';
import { policyText } from '../domain/text-policy';

/**
 * Bumped when a message changes shape. A desktop whose version the center no longer accepts gets
 * `update_required` (and keeps its unsynced changes until it is updated).
 * 2: the VOC loop — VOC items carry their workflow (states renamed), the catalogue and departments
 * travel as reference data, `voc.act` moves an item — and the center's identity (`centerId`) in
 * every pull and push answer (backup and restore).
 */
export const SCHEMA_VERSION = 2;
/** The oldest desktop schema version this build of the center still serves. */
export const MIN_SCHEMA_VERSION = 2;
/**
 * The first desktop schema that reads the center's identity (`centerId` in pull and push answers).
 * A center restored from a backup serves no older desktop: one that synced before the restore would
 * skip changes and stop pushing; told to update, it keeps its outbox until then.
 */
export const IDENTITY_SCHEMA_VERSION = 2;

// ---------- HTTP ----------
/** POST /api/login */
export const LoginRequest = z.object({
  tenant: policyText(TENANT_MAX_CHARS).min(1),
  username: policyText(USERNAME_MAX_CHARS).min(1),
  password: policyText(PASSWORD_MAX_CHARS).min(1),
});
export type LoginRequest = z.infer<typeof LoginRequest>;
export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: IsoTime,
  user: z.object({ id: Uuid, tenant: z.string(), username: z.string(), displayName: z.string(), role: Role, takesCalls: z.boolean().optional() }),
});
export type LoginResponse = z.infer<typeof LoginResponse>;
/** GET /healthz and /readyz */
export const Health = z.object({ status: z.enum(['ok', 'starting', 'stopping']), version: z.string(), node: z.string().optional() });

// ---------- socket.io handshake ----------
/** `io(url, { auth })`: the session token from login, and the desktop's schema version. */
export const HandshakeAuth = z.object({
  token: z.string().min(1).max(512),
  schemaVersion: z.number().int(),
  /** The desktop install's sync client id (UUID); supervisors' wallboards may omit it. */
  clientId: Uuid.optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
