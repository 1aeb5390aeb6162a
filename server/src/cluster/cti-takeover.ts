// What a node does when it becomes the CTI owner: replay today's journal into its queue metrics,
// then take over the calls the previous owner left in the queue (or in talk) from the journal.
import { CallControlError } from '../cti/acd/calls';
import { type AcdSimulator } from '../cti/acd/simulator';
import type { CtiEvent } from '../floor/model/cti-events';
import type { Queryable } from '../db/db';
import { journalSince, openCallsFromJournal } from './cti-journal';

export interface CtiTakeover {
  /** Journal events handed to `replay` (e.g. the metrics engine's ingestCti). */
  replayed: number;
  /** Calls waiting again in their queue, keeping their time of entry. */
  queued: number;
  /** Calls in talk that stay with their agent. */
  attached: number;
  /** Calls in talk nobody on this node can carry on: ended with `endedBy: 'unknown'`. */
  ended: number;
  /** Calls of a queue this node's simulator does not serve (left to the switch / configuration). */
  skipped: number;
}

export async function resumeCtiFromJournal(
  q: Queryable,
  opts: {
    tenantId: string;
    simulator: AcdSimulator;
    /** Replay from here (the tenant's local midnight, for "since midnight" figures). */
    replayFrom?: Date;
    replay?: (event: CtiEvent) => void;
    now?: number;
    lookbackMs?: number;
  },
): Promise<CtiTakeover> {
  const result: CtiTakeover = { replayed: 0, queued: 0, attached: 0, ended: 0, skipped: 0 };
  // Replay first: the metrics must know a call was offered before the simulator rings it.
  if (opts.replay && opts.replayFrom) {
    for (const event of await journalSince(q, opts.tenantId, opts.replayFrom)) {
      opts.replay(event);
      result.replayed += 1;
    }
  }
  for (const call of await openCallsFromJournal(q, opts.tenantId, { now: opts.now, lookbackMs: opts.lookbackMs })) {
    try {
      result[opts.simulator.adoptCall(call)] += 1;
    } catch (err) {
      if (!(err instanceof CallControlError)) throw err;
      result.skipped += 1;
    }
  }
  return result;
}
