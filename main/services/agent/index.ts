// The agent's desk at the center: state, call control and wrap-up, as DesktopApi handlers.
import type { DesktopApiHandlers } from '../../../shared/api/index';
import type { Db, StoreLogger } from '../../db/index';
import type { CenterLink } from '../center-link';
import type { EventHub } from '../events';
import { createAgentStateService } from './agent-state';
import { createCallControlService } from './call-control';
import { createWrapUpService } from './wrap-up';

export type AgentHandlers = Pick<DesktopApiHandlers, 'setAgentState' | 'getAgentState' | 'callControl' | 'finishWrapUp' | 'getQueue'>;

export interface AgentDesk {
  handlers: AgentHandlers;
  /** Call when the center link (re)connects. */
  connected(): void;
}

export function createAgentDesk(opts: { db: Db; link: CenterLink; emit: EventHub['emit']; logger: StoreLogger; onLocalWrite(): void; self?: () => string | null }): AgentDesk {
  const state = createAgentStateService(opts);
  const calls = createCallControlService(opts.link);
  const wrapUp = createWrapUpService({ db: opts.db, calls, onLocalWrite: opts.onLocalWrite });
  return {
    connected: () => state.connected(),
    handlers: {
      setAgentState: (request) => state.set(request),
      getAgentState: async () => state.current(),
      callControl: (request) => calls.control(request),
      // The queue comes from the center's report of this call (wrap_up carries it), not from the renderer.
      finishWrapUp: (input) => wrapUp.finish(input, state.current()?.queue ?? null),
      getQueue: async ({ queueId }) => wrapUp.queue(queueId),
    },
  };
}
