// call:control from an agent's desktop (answer, hold, resume, transfer, hang up, finish wrap-up).
import { CallControlRequest, EVENTS } from '../../../shared/protocol';
import { spec, type EventTable } from '../io/event-table';
import type { CallControl } from './call-control';

export function callEvents(callControl: Pick<CallControl, 'handle'>): EventTable {
  return {
    [EVENTS.callControl]: spec({ roles: ['agent'], schema: CallControlRequest, handle: (who, req) => callControl.handle(who, req) }),
  };
}
