// Looking a customer up at the center: for a screen pop, or the agent's search.
import { z } from 'zod';
import { ScreenPop } from '../domain/entities';
import { policyText } from '../domain/text-policy';

/** `customer:lookup` (client -> center, with ack) -> ScreenPop | null */
export const LookupRequest = z.object({
  by: z.enum(['phone', 'email', 'social', 'id']),
  value: policyText(320).min(1),
  reason: z.enum(['screen_pop', 'search']),
});
export type LookupRequest = z.infer<typeof LookupRequest>;
export const LookupResponse = ScreenPop.nullable();
