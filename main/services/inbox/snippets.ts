// The DesktopApi's saved snippets: the signed-in agent's own short texts for replies, kept in the local
// store (main/db/snippets.ts). The store's refusals become the API's errors, in words the agent can act on.
import type { DesktopApiHandlers } from '../../../shared/api/index';
import { deleteSnippet, listSnippets, saveSnippet, SnippetRefusedError, type Db } from '../../db/index';
import { DesktopApiError } from '../api-dispatch';
import { uuidv7 } from '../uuid';

export interface SnippetDeps {
  db(): Db;
  /** The signed-in user's id; throws when no one is. */
  userId(db: Db): string;
  now?: () => Date;
}

type SnippetHandlers = Pick<DesktopApiHandlers, 'listSnippets' | 'saveSnippet' | 'deleteSnippet'>;

function refused<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof SnippetRefusedError) throw new DesktopApiError(err.code, err.message);
    throw err;
  }
}

export function createSnippetHandlers(deps: SnippetDeps): SnippetHandlers {
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const mine = () => {
    const db = deps.db();
    return { db, userId: deps.userId(db) };
  };
  return {
    listSnippets: async () => {
      const { db, userId } = mine();
      return listSnippets(db, userId);
    },
    saveSnippet: async ({ id, title, text }) => {
      const { db, userId } = mine();
      return refused(() => saveSnippet(db, userId, { id: id ?? uuidv7(), title, text }, now(), id === undefined));
    },
    deleteSnippet: async ({ id }) => {
      const { db, userId } = mine();
      return deleteSnippet(db, userId, id);
    },
  };
}
