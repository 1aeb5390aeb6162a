// One agent's call on the ACD simulator as call control sees it (calls/call-control.ts): the agent's
// answer, hold, resume, transfer and hang-up go to the simulator, with the messages a switch would give.
import { CallControlRefused, type ControllableCall } from '../controllable-call';
import { AgentStateError } from '../../floor/model/agent-state';
import { CallControlError } from './calls';
import { type AcdSimulator } from './simulator';

export function acdCall(sim: AcdSimulator, agent: string, interactionId: string, queues: readonly string[]): ControllableCall {
  const mine = () => {
    const c = sim.callOf(agent);
    return c && c.interactionId === interactionId ? c : null;
  };
  const refuse = (message: string): never => {
    throw new CallControlRefused(message);
  };
  return {
    get over() {
      return mine() === null;
    },
    async control(action, target) {
      const call = mine();
      if (!call) return refuse('This call is already over; there is nothing to do on it but finish wrap-up.');
      try {
        switch (action) {
          case 'answer':
            if (call.state !== 'ringing') refuse('This call is already answered.');
            return sim.answer(agent);
          case 'hold':
            if (call.state !== 'connected') refuse(call.state === 'ringing' ? 'Answer the call first.' : 'Only a call in conversation can be put on hold.');
            return sim.hold(agent);
          case 'resume':
            if (call.state !== 'held') refuse('The call is not on hold.');
            return sim.resume(agent);
          case 'hangup':
            if (call.state === 'ringing') refuse('Answer the call first.');
            return sim.hangUp(agent);
          case 'transfer': {
            if (call.state === 'ringing') refuse('Answer the call first.');
            // `queue:<id>` or `agent:<username>`; a bare name is a queue when one has that id.
            const raw = target ?? '';
            const [kind, rest] = raw.includes(':') ? [raw.slice(0, raw.indexOf(':')), raw.slice(raw.indexOf(':') + 1)] : [queues.includes(raw) ? 'queue' : 'agent', raw];
            if (kind === 'queue') return sim.transfer(agent, { queue: rest });
            if (kind === 'agent') return sim.transfer(agent, { agent: rest });
            return refuse(`Transfer to "queue:<id>" or "agent:<username>"; "${raw.slice(0, 64)}" is neither.`);
          }
        }
      } catch (err) {
        if (err instanceof CallControlError || err instanceof AgentStateError) refuse(err.message);
        throw err;
      }
    },
  };
}
