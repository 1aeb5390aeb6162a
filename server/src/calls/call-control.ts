// Call control from the agent's desktop (`call:control`), relayed to the CTI source that owns the call.
// Wrap-up is the center's own state, so `finishWrapUp` works for every source.
import type { CallControlRequest } from '../../../shared/protocol';
import { CenterError } from '../base/errors';
import { CallControlRefused, type ControllableCall } from '../cti/controllable-call';

/** Ends an agent's wrap-up of a call (the floor's): false when they are not in wrap-up of it. */
export interface WrapUps {
  finishWrapUp(tenantId: string, username: string, interactionId: string): Promise<boolean>;
}

interface OwnedCall {
  tenantId: string;
  agent: string;
  call: ControllableCall;
}

export function createCallControl(floor: WrapUps) {
  const calls = new Map<string, OwnedCall>();
  const forgetFinished = () => {
    for (const [id, c] of calls) if (c.call.over) calls.delete(id);
  };
  return {
    /** A source that can act on this call (the simulator; an AMI adapter) claims it. */
    own(tenantId: string, interactionId: string, agent: string, call: ControllableCall): void {
      forgetFinished();
      calls.set(interactionId, { tenantId, agent, call });
    },
    async handle(who: { tenantId: string; username: string }, req: CallControlRequest): Promise<{ interactionId: string; action: CallControlRequest['action'] }> {
      const done = { interactionId: req.interactionId, action: req.action };
      if (req.action === 'finishWrapUp') {
        if (await floor.finishWrapUp(who.tenantId, who.username, req.interactionId)) return done;
        throw new CenterError('conflict', 'You are not in wrap-up of this call; there is no wrap-up to finish.');
      }
      const owned = calls.get(req.interactionId);
      if (!owned || owned.tenantId !== who.tenantId || owned.agent !== who.username) {
        throw new CenterError(
          'not_found',
          'The center controls no call of yours with this id: it has ended, or it is handled by your phone system (use your phone for it).',
        );
      }
      try {
        await owned.call.control(req.action, req.target);
      } catch (err) {
        if (err instanceof CallControlRefused) throw new CenterError('conflict', err.message);
        throw err;
      }
      return done;
    },
  };
}
export type CallControl = ReturnType<typeof createCallControl>;
