// The effects behind "Is this an existing customer?": the same `searchCustomers` call (and typing
// pause) as the agent bar's search, and `linkCallerToCustomer`, whose pop replaces the pane's.
import type { CustomerSummary } from '../../../shared/api/index';
import type { ScreenPop } from '../../../shared/domain/index';
import { desktopEvent } from '../../app/actions';
import type { AppDispatch, AppExtra } from '../../app/listener';
import type { RootState } from '../../app/root-reducer';

type Thunk<T> = (dispatch: AppDispatch, getState: () => RootState, extra: AppExtra) => Promise<T>;
export type Answer<T> = { ok: true; value: T } | { ok: false; message: string } | { ok: false; aborted: true };

/** Searches once the agent pauses typing; an aborted search (a newer query) answers `aborted`. */
export const searchForLink =
  (query: string, signal: AbortSignal): Thunk<Answer<CustomerSummary[]>> =>
  async (_dispatch, _getState, extra) => {
    await new Promise((resolve) => setTimeout(resolve, extra.timing.searchDelayMs));
    if (signal.aborted) return { ok: false, aborted: true };
    const response = await extra.api.invoke('searchCustomers', { query: query.slice(0, 200) });
    if (signal.aborted) return { ok: false, aborted: true };
    return response.ok ? { ok: true, value: response.value } : { ok: false, message: response.error.message };
  };

/** Links the call to the customer (queued for the center by the desktop) and shows their pop. */
export const linkCallerToCustomer =
  (interactionId: string, customerId: string, addPhone: boolean): Thunk<Answer<ScreenPop | null>> =>
  async (dispatch, _getState, extra) => {
    const response = await extra.api.invoke('linkCallerToCustomer', { interactionId, customerId, addPhone });
    if (!response.ok) return { ok: false, message: response.error.message };
    if (response.value) dispatch(desktopEvent.screenPopUpdated({ interactionId, pop: response.value }));
    return { ok: true, value: response.value };
  };
