// Drives the agent state machine from a switch's CTI events (Asterisk AMI, the webhook), so agents of
// an external PBX get the same states, audit records and metrics as those of the built-in ACD simulator
// (which moves agents itself). The switch is the authority on calls; this only follows it.
import type { CtiEvent } from './cti-events';
import { AgentStateError, CALL_STATES, type AgentState, type AgentStateChange, type AgentStates } from './agent-state';

export interface CtiAgentStateResult {
  changes: AgentStateChange[];
  /** Why an event moved no agent, when it should have (unknown agent, a state the switch and we disagree on). */
  ignored: string | null;
}

/** A switch's pause reason as one of our reason codes (`Lunch Break` -> `lunch_break`), or `paused`. */
export function reasonCodeFrom(raw: string | null): string {
  const code = (raw ?? '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 32);
  return /^[a-z]/.test(code) ? code : 'paused';
}

/** Applies one CTI event to the agents it concerns. Never throws for a disagreement: it reports it. */
export function applyCtiToAgentStates(states: AgentStates, event: CtiEvent): CtiAgentStateResult {
  const changes: AgentStateChange[] = [];
  const done = (ignored: string | null = null): CtiAgentStateResult => ({ changes, ignored });
  try {
    if (event.type === 'agent_paused') {
      const status = states.get(event.agent);
      if (event.paused) {
        if (CALL_STATES.includes(status.state)) return done(`agent ${event.agent} was paused during a call; the pause is not applied`);
        if (status.state === 'offline') return done();
        changes.push(states.setBySystem(event.agent, { to: 'not_ready', reason: reasonCodeFrom(event.reason) }, 'switch_pause'));
      } else if (status.state === 'not_ready') {
        changes.push(states.setBySystem(event.agent, { to: 'available' }, 'switch_unpause'));
      }
      return done();
    }
    const call = { interactionId: event.interactionId, queue: event.queue };
    switch (event.type) {
      case 'call_offered':
        return done();
      case 'call_ringing': {
        const status = states.get(event.agent);
        if (status.state !== 'available') return done(`agent ${event.agent} rang while ${status.state}`);
        changes.push(states.setBySystem(event.agent, { to: 'ringing', ...call }, 'call_ringing'));
        return done();
      }
      case 'call_answered': {
        if (!event.agent) return done();
        const status = states.get(event.agent);
        // A switch may connect without announcing the ring first.
        if (status.state === 'available') changes.push(states.setBySystem(event.agent, { to: 'ringing', ...call }, 'call_ringing'));
        else if (status.state !== 'ringing') return done(`agent ${event.agent} answered while ${status.state}`);
        changes.push(states.setBySystem(event.agent, { to: 'on_call', ...call }, 'call_answered'));
        return done();
      }
      case 'call_held':
      case 'call_resumed': {
        const from = event.type === 'call_held' ? 'on_call' : 'on_hold';
        const agent = event.agent ?? agentOn(states, event.interactionId, [from]);
        if (!agent || states.get(agent).state !== from) return done();
        changes.push(states.setBySystem(agent, { to: event.type === 'call_held' ? 'on_hold' : 'on_call' }, event.type));
        return done();
      }
      case 'call_transferred':
      case 'call_ended': {
        const agent = agentOn(states, event.interactionId, ['on_call', 'on_hold', 'ringing']);
        if (!agent) return done();
        const status = states.get(agent);
        const to = status.state !== 'ringing' && states.wrapUpAfter(event.queue) ? 'wrap_up' : 'available';
        changes.push(states.setBySystem(agent, { to, ...call }, event.type));
        return done();
      }
      case 'call_abandoned': {
        const agent = agentOn(states, event.interactionId, ['ringing']);
        if (agent) changes.push(states.setBySystem(agent, { to: 'available' }, 'caller_abandoned'));
        return done();
      }
    }
  } catch (err) {
    if (err instanceof AgentStateError) return done(err.message);
    throw err;
  }
}

function agentOn(states: AgentStates, interactionId: string, among: readonly AgentState[]): string | null {
  return states.agentOnInteraction(interactionId, among);
}
