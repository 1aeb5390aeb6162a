// The small types every entity is built from.
import { z } from 'zod';

export const Uuid = z.string().uuid();
/** ISO-8601 timestamp as produced by Date.prototype.toISOString (always UTC). */
export const IsoTime = z.string().datetime({ offset: true });

/**
 * Who a user is at the center. `staff`: a member of a department who works the VOC desk, not calls;
 * supervisors and admins may be department members too (membership is not a role).
 */
export const Role = z.enum(['agent', 'supervisor', 'admin', 'staff']);
export type Role = z.infer<typeof Role>;
