// Saved snippets in the DesktopApi: short texts an agent writes themselves and drops into a chat or
// email reply (issue 25: "no canned scripts: short saved snippets the agent writes themselves are
// fine"). Kept on this computer only, per signed-in user (main/db/snippets.ts, migration 0007).
import { z } from 'zod';
import { IsoTime, Uuid } from '../domain/entities';

/** A snippet's name in the menu, its text, and how many one person may keep. */
export const SNIPPET_TITLE_MAX = 60;
export const SNIPPET_TEXT_MAX = 500;
export const SNIPPETS_MAX = 50;

export const Snippet = z.object({
  id: Uuid,
  title: z.string(),
  text: z.string(),
  updatedAt: IsoTime,
});
export type Snippet = z.infer<typeof Snippet>;

const filled = (t: string) => t.trim().length > 0;

/** A new snippet (no id) or a change to one of the agent's own (its id). */
export const SnippetSave = z.strictObject({
  id: Uuid.optional(),
  title: z
    .string()
    .max(SNIPPET_TITLE_MAX, `a snippet's name is at most ${SNIPPET_TITLE_MAX} characters`)
    .refine(filled, "a snippet's name needs some text"),
  text: z
    .string()
    .max(SNIPPET_TEXT_MAX, `a snippet is at most ${SNIPPET_TEXT_MAX} characters`)
    .refine(filled, 'a snippet needs some text'),
});
export type SnippetSave = z.infer<typeof SnippetSave>;
