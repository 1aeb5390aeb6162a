// The ACD's queues: calls waiting in order of entry, and which waiting call goes to which agent —
// oldest call first across queues, to the longest-idle available agent with the skill who is not
// held back (settling after sign-in, or still busy with a simulated handle time).
import type { AgentStates } from '../../floor/model/agent-state';
import type { SimCall } from './calls';

export class QueueBoard {
  private readonly waiting = new Map<string, SimCall[]>();
  /** Until when each agent is not rung (ms on the virtual clock). */
  private readonly heldBack = new Map<string, number>();

  constructor(queues: Iterable<string>) {
    for (const q of queues) this.waiting.set(q, []);
  }

  /** A new caller (or a transferred call) joins the end of the queue; returns their position. */
  enter(call: SimCall): number {
    const list = this.listOf(call.queue);
    list.push(call);
    return list.length;
  }

  /** Puts a call back in order of entry (a missed ring keeps the caller's place); returns its position. */
  requeue(call: SimCall): number {
    const list = this.listOf(call.queue);
    let i = list.length;
    while (i > 0 && (list[i - 1] as SimCall).enteredAt > call.enteredAt) i--;
    list.splice(i, 0, call);
    return i + 1;
  }

  /** Takes a call out of its queue; returns the position it had, or null when it was not waiting. */
  remove(call: SimCall): number | null {
    const list = this.listOf(call.queue);
    const i = list.indexOf(call);
    if (i < 0) return null;
    list.splice(i, 1);
    return i + 1;
  }

  count(queue: string): number {
    return this.listOf(queue).length;
  }

  /** Calls waiting in a queue, oldest first. */
  waitingIn(queue: string): readonly SimCall[] {
    return this.waiting.get(queue) ?? [];
  }

  /** The agent is not rung before `untilMs`. */
  holdBack(agent: string, untilMs: number): void {
    this.heldBack.set(agent, Math.max(this.heldBack.get(agent) ?? 0, untilMs));
  }

  /** Every waiting call, oldest first across queues: the order they are offered in. */
  oldestFirst(): SimCall[] {
    return [...this.waiting.values()].flat().sort((a, b) => a.enteredAt - b.enteredAt);
  }

  /** The agent to ring with this call: the longest idle with the skill who is not held back. */
  agentFor(call: SimCall, agents: Pick<AgentStates, 'longestIdle'>, now: number): string | undefined {
    return agents.longestIdle(call.queue).find((a) => (this.heldBack.get(a) ?? 0) <= now);
  }

  private listOf(queue: string): SimCall[] {
    const list = this.waiting.get(queue);
    if (!list) throw new Error(`The ACD has no queue ${queue}.`);
    return list;
  }
}
