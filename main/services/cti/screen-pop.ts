// Screen pop: when a call is offered, answer at once from the local cache. The offer carries the
// center's pop of the caller (read when it offered the call): a caller the cache does not hold paints
// from it at once, and it is cached; one the cache holds is replaced by it only when it is newer (its
// `asOf` against the store's version). An offer without it (an older center, a call re-offered on
// reconnect) asks the center with `customer:lookup` as before. An older answer never replaces a newer
// one, nor an answer for one call the pop of another. What the cache shows is recorded for the
// center's audit trail (audit/views.ts); the center records its own answers itself.
import type { CurrentCall } from '../../../shared/api/index';
import { isOlderPop, type ScreenPop } from '../../../shared/domain/entities';
import { randomUUID } from 'node:crypto';
import { formatPhone, toE164 } from '../../../shared/domain/phone';
import { EVENTS, LookupResponse, type CallOffered, type LookupRequest } from '../../../shared/protocol/index';
import {
  cacheScreenPop,
  createProvisionalCustomer,
  evictBeyondCap,
  linkInteractionCustomer,
  findCustomerIdByIdentity,
  readScreenPop,
  touchCustomer,
  type Db,
  type StoreLogger,
} from '../../db/index';
import type { ViewRecorder } from '../audit/views';
import type { CenterLink } from '../center-link';
import type { EventHub } from '../events';
import { uuidv7 } from '../uuid';

export interface ScreenPopService {
  /** Handles `cti:callOffered` from the center. Resolves when the center's update (if any) was handled. */
  callOffered(call: CallOffered): Promise<void>;
  currentCall(): CurrentCall | null;
  /** Local cache first; when the cache has nothing, waits for the center's answer. */
  lookupCaller(phone: string): Promise<ScreenPop | null>;
  /** A customer by id: the local cache, else the center when connected; null when neither knows them. */
  lookupCustomer(customerId: string): Promise<ScreenPop | null>;
  /**
   * Links an unknown caller's contact to an existing customer: locally and queued for the center in
   * one transaction; returns that customer's pop and, for the call on the line, sends it as its update.
   */
  linkCaller(input: { interactionId: string; customerId: string; addPhone: boolean }): Promise<ScreenPop | null>;
}

export interface ScreenPopOptions {
  db: Db;
  link: CenterLink;
  emit: EventHub['emit'];
  logger: StoreLogger;
  workingSetCap: number;
  /** A provisional customer was queued for the center: sync it. */
  onLocalWrite(): void;
  /** Customers shown from the local cache, for the center's audit trail. */
  views: ViewRecorder;
}

export function createScreenPopService(opts: ScreenPopOptions): ScreenPopService {
  const { db, link, emit, logger, onLocalWrite, views } = opts;
  let current: CurrentCall | null = null;
  /** Calls the agent linked to a customer: a late "unknown caller" answer must not replace that pop. */
  const linked = new Set<string>();
  let trimQueued = false;

  /** Trims the working set after the pop has reached the screen (it counts the whole local store). */
  function trimSoon() {
    if (trimQueued) return;
    trimQueued = true;
    setTimeout(() => {
      trimQueued = false;
      try {
        const evicted = evictBeyondCap(db, opts.workingSetCap);
        if (evicted) logger.info({ evicted }, 'working set trimmed');
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'working set trim failed');
      }
    }, 0).unref?.();
  }

  function localPop(e164: string | null): ScreenPop | null {
    if (!e164) return null;
    const id = findCustomerIdByIdentity(db, 'phone', e164);
    if (!id) return null;
    touchCustomer(db, id);
    return readScreenPop(db, id);
  }

  function provisionalPop(e164: string | null): ScreenPop | null {
    const customer = createProvisionalCustomer(
      db,
      { id: randomUUID(), displayName: e164 ? formatPhone(e164) : '', phone: e164 },
      { mutationId: uuidv7(), now: new Date().toISOString() },
    );
    onLocalWrite();
    return readScreenPop(db, customer.id);
  }

  /** Asks the center, caches what it knows; null when it does not know the caller. Throws when unreachable. */
  async function centerPop(request: LookupRequest): Promise<ScreenPop | null> {
    const pop = await link.request(EVENTS.lookup, request, LookupResponse);
    if (pop) {
      cacheScreenPop(db, pop);
      trimSoon();
    }
    return pop;
  }

  /**
   * The pop pushed with the offer, if it is this call's caller: the center read it after recording the
   * call against that customer, so its history holds the call. Anything else is refused (not stored,
   * not shown) and the desktop asks the center itself.
   */
  function pushedPopOf(call: CallOffered, caller: NonNullable<CallOffered['caller']>): ScreenPop | null | undefined {
    const pop = caller.pop;
    if (pop === null) return null;
    if (pop.history.some((h) => h.id === call.interactionId && h.customerId === pop.customer.id)) return { ...pop, source: 'center', asOf: pop.asOf ?? caller.asOf };
    logger.warn({ interactionId: call.interactionId }, "the pop pushed with an offer is not that call's caller; refused, asking the center");
    return undefined;
  }

  /** Shows `pop` as the update of the call on the line, unless another call came since or it is older than what is shown. */
  function update(call: CallOffered, pop: ScreenPop | null): void {
    if (current?.call.interactionId !== call.interactionId || (pop && isOlderPop(pop, current.pop))) return;
    current = { call, pop };
    emit('screenPopUpdated', { interactionId: call.interactionId, pop });
  }

  /** The offer carried the caller's pop: no round trip. */
  function popPushed(call: CallOffered, e164: string | null, pushed: ScreenPop | null): void {
    const local = localPop(e164);
    if (pushed === null) {
      // The center knows no one with this number: the local answer stands, or a provisional customer.
      current = { call, pop: local };
      emit('callOffered', { call, pop: local });
      if (local) views.viewed([local.customer.id], 'popped');
      if (!local && !linked.has(call.interactionId)) update(call, provisionalPop(e164));
      return;
    }
    // Paint first (the cache's answer, else the pushed one), then store what arrived.
    const first = local ?? pushed;
    current = { call, pop: first };
    emit('callOffered', { call, pop: first });
    if (local) views.viewed([local.customer.id], 'popped');
    let stored: boolean;
    try {
      stored = cacheScreenPop(db, pushed, Date.now(), { offered: true });
    } catch (err) {
      // The pop is on the screen; the pull brings the same customer into the store.
      logger.warn({ interactionId: call.interactionId, err: err instanceof Error ? err.message : 'unknown' }, 'the pop pushed with an offer could not be stored');
      return;
    }
    if (stored) {
      trimSoon();
      if (first !== pushed) update(call, pushed);
    } else if (first === pushed) {
      // The store holds this customer at a newer version than the push: show the store's answer.
      const newer = readScreenPop(db, pushed.customer.id);
      if (newer) update(call, newer);
    }
  }

  return {
    async callOffered(offered) {
      const { caller, ...call } = offered;
      // The center offers the call again when this desktop reconnects mid-call: the pop stands.
      if (current?.call.interactionId === call.interactionId) return;
      const e164 = toE164(call.ani);
      const pushed = caller ? pushedPopOf(call, caller) : undefined;
      if (pushed !== undefined) return popPushed(call, e164, pushed);
      const pop = localPop(e164);
      current = { call, pop };
      emit('callOffered', { call, pop });
      if (pop) views.viewed([pop.customer.id], 'popped');
      let fresh: ScreenPop | null;
      try {
        fresh = await centerPop({ by: 'phone', value: e164 ?? call.ani, reason: 'screen_pop' });
      } catch (err) {
        logger.warn({ interactionId: call.interactionId, err: err instanceof Error ? err.message : 'unknown' }, 'screen pop lookup at the center failed');
        if (pop) return; // the local pop stands
        fresh = null;
      }
      if (linked.has(call.interactionId)) return; // linked while we waited: the linked customer's pop stands
      // A later call may have been offered while we waited: only the call this answer is for is updated.
      if (current?.call.interactionId !== call.interactionId) return;
      // Nobody knows this caller: give the agent a provisional customer to write notes against.
      update(call, fresh ?? pop ?? provisionalPop(e164));
    },
    currentCall() {
      return current;
    },
    async lookupCaller(phone) {
      const e164 = toE164(phone);
      const local = localPop(e164);
      const request: LookupRequest = { by: 'phone', value: e164 ?? phone, reason: 'search' };
      if (local) {
        views.viewed([local.customer.id], 'opened');
        // Refresh in the background; if it is the caller on the line, the pane gets the update.
        if (link.isConnected()) {
          centerPop(request)
            .then((fresh) => {
              if (fresh && current && toE164(current.call.ani) === e164) update(current.call, fresh);
            })
            .catch(() => logger.warn({}, 'background refresh of a looked-up caller failed'));
        }
        return local;
      }
      if (!link.isConnected()) return null;
      try {
        return await centerPop(request);
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'caller lookup at the center failed');
        return null;
      }
    },
    async lookupCustomer(customerId) {
      const local = readScreenPop(db, customerId);
      if (local) {
        touchCustomer(db, customerId);
        views.viewed([customerId], 'opened');
        return local;
      }
      if (!link.isConnected()) return null;
      try {
        return await centerPop({ by: 'id', value: customerId, reason: 'search' });
      } catch (err) {
        logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'customer lookup by id at the center failed');
        return null;
      }
    },
    async linkCaller(input) {
      const onLine = current?.call.interactionId === input.interactionId ? current.call : null;
      const phone = onLine ? toE164(onLine.ani) : null;
      linkInteractionCustomer(db, { ...input, phone }, { mutationId: uuidv7(), now: new Date().toISOString() });
      if (linked.size > 100) linked.clear();
      linked.add(input.interactionId);
      onLocalWrite();
      const pop = await this.lookupCustomer(input.customerId);
      if (pop && current?.call.interactionId === input.interactionId) update(current.call, pop);
      return pop;
    },
  };
}
