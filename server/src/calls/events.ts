// call:control from an agent's desktop (answer, hold, resume, transfer, hang up, finish wrap-up).
import { CallControlRequest, EVENTS } from '../../../shared/protocol';
import { CALL_TAKERS, spec, type EventTable } from '../io/event-table';
import type { CallControl } from './call-control';

export function callEvents(callControl: Pick<CallControl, 'handle'>): EventTable {
  return {
    [EVENTS.callControl]: spec({ roles: CALL_TAKERS, schema: CallControlRequest, handle: (who, req) => callControl.handle(who, req) }),
  };
}
