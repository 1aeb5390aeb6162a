// Looking a customer up at the center: for a screen pop, or the agent's search.
import { z } from 'zod';
import { ScreenPop } from '../domain/entities';

/** `customer:lookup` (client -> center, with ack) -> ScreenPop | null */
export const LookupRequest = z.object({
  by: z.enum(['phone', 'email', 'social', 'id']),
  value: z.string().min(1).max(320),
  reason: z.enum(['screen_pop', 'search']),
});
export type LookupRequest = z.infer<typeof LookupRequest>;
export const LookupResponse = ScreenPop.nullable();
