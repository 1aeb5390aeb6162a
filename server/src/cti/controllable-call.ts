// What a CTI source that can act on its calls (the ACD simulator, an Asterisk AMI link) offers the
// center's call control (calls/call-control.ts).
import type { CallControlRequest } from '../../../shared/protocol';

/** A source's call; `control` throws an Error whose message the agent can read. */
export interface ControllableCall {
  control(action: Exclude<CallControlRequest['action'], 'finishWrapUp'>, target?: string): Promise<void>;
  readonly over: boolean;
}

/** A source refusing an action in the call's present phase; the message tells the agent why. */
export class CallControlRefused extends Error {
  override readonly name = 'CallControlRefused';
}
