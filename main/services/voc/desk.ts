// The VOC desk and follow-up calls on this desktop (VOC.md): reads the desk's queue, an item's page
// and the follow-up list from the center, keeps each last answer for offline use, and shows every
// item with this desktop's queued steps applied (pending.ts). A step is the `voc.act` mutation:
// checked here against the same transition table the center uses, then queued in the outbox, so it
// works offline and a late refusal lands in the rejected list. Relays the center's `voc:changed` and
// `voc:overdue` pushes as DesktopApi events.
import { randomUUID } from 'node:crypto';
import type { FollowUpDesk, VocActQueued, VocDeskItem, VocDeskQueue, VocReference } from '../../../shared/api/voc';
import type { Department } from '../../../shared/domain/entities';
import { decideVocAction, nextStatus } from '../../../shared/domain/voc';
import {
  EVENTS,
  FollowUpCallResponse,
  FollowUpList,
  VocChanged,
  VocItemPage,
  VocOverdue,
  VocQueueResponse,
  type FollowUpTask,
  type VocActArgs,
  type VocQueueRequest,
} from '../../../shared/protocol/index';
import { cachedVocCustomer, listDepartments, listQueues, listVocTopics, pendingVocActs, queueVocAct, readCenterAnswer, saveCenterAnswer, type Db } from '../../db/index';
import { DesktopApiError } from '../api-dispatch';
import { CenterRequestError, type CenterLink } from '../center-link';
import { desktopErrorFromCenter, type CenterErrorWords } from '../center-errors';
import type { EventHub } from '../events';
import { deskActor, stepsFor, withPendingSteps, type DeskPerson, type PendingContext } from './pending';
import { z } from 'zod';

export interface VocDesk {
  reference(): VocReference;
  queue(request: VocQueueRequest): Promise<VocDeskQueue>;
  item(id: string): Promise<VocDeskItem>;
  act(args: VocActArgs): VocActQueued;
  followUps(): Promise<FollowUpDesk>;
  callFollowUp(id: string): Promise<{ interactionId: string }>;
  rescheduleFollowUp(request: { id: string; at: string }): Promise<FollowUpDesk>;
  skipFollowUp(request: { id: string; reason: string }): Promise<FollowUpDesk>;
}

export interface VocDeskOptions {
  db: Db;
  link: CenterLink;
  emit: EventHub['emit'];
  /** The signed-in person (null before sign-in). */
  self(): DeskPerson | null;
  /** A step was queued: push it. */
  onLocalWrite(): void;
  now?: () => Date;
  newMutationId?: () => string;
}

const DESK_WORDS: CenterErrorWords = {
  offline: 'You are offline, and this desk has not shown these items on this computer yet. They appear when the connection returns.',
  forbidden: 'The VOC desk is for department staff and supervisors. Sign in with such an account, or ask a supervisor to add you to a department.',
  not_found: 'This VOC item is not in the records you may see (it may belong to another tenant, or the link is wrong).',
};
const CALL_WORDS: CenterErrorWords = {
  offline: 'You are offline: follow-up calls can be placed when the connection returns.',
  conflict: 'Another agent is already on this follow-up, or it was done meanwhile. The list has been refreshed.',
  forbidden: 'Follow-up calls are placed by agents and supervisors.',
};
const FOLLOW_UP_LIMIT = 50;

/** The center could not be asked (as opposed to refusing): the last answer kept here will do. */
const unreachable = (err: unknown) => err instanceof CenterRequestError && (err.code === 'offline' || err.code === 'timeout');

/** One key per set of filters, whatever order the renderer wrote them in. */
function queueKey(request: VocQueueRequest): string {
  return JSON.stringify(Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));
}

export function createVocDesk(opts: VocDeskOptions): VocDesk {
  const { db, link, emit } = opts;
  const now = opts.now ?? (() => new Date());
  const newMutationId = opts.newMutationId ?? randomUUID;

  link.on(EVENTS.vocChanged, VocChanged, (p) => emit('vocChanged', p));
  link.on(EVENTS.vocOverdue, VocOverdue, (p) => emit('vocOverdue', p));

  const context = (): PendingContext => ({
    departments: new Map(listDepartments(db).map((d): [string, Department] => [d.id, d])),
    self: opts.self(),
  });

  /** Asks the center and keeps the answer; when it cannot be asked, the kept answer (or `offline`). */
  async function ask<S extends z.ZodTypeAny>(
    kind: 'voc_queue' | 'voc_item' | 'follow_ups',
    key: string,
    event: string,
    payload: unknown,
    schema: S,
    words: CenterErrorWords,
  ): Promise<{ answer: z.infer<S>; asOf: string; offline: boolean }> {
    try {
      const answer = (await link.request(event, payload, schema)) as z.infer<S>;
      const asOf = now().toISOString();
      saveCenterAnswer(db, kind, key, answer, asOf);
      return { answer, asOf, offline: false };
    } catch (err) {
      if (unreachable(err)) {
        const kept = readCenterAnswer(db, kind, key);
        const parsed = kept ? schema.safeParse(kept.data) : null;
        if (kept && parsed?.success) return { answer: parsed.data as z.infer<S>, asOf: kept.fetchedAt, offline: true };
      }
      throw desktopErrorFromCenter(err, words);
    }
  }

  function pageHere(page: VocItemPage): Omit<VocDeskItem, 'asOf' | 'offline'> {
    const ctx = context();
    const { item, pendingSync } = withPendingSteps(page.item, pendingVocActs(db), ctx);
    return { ...page, item, pendingSync, actions: pendingSync ? stepsFor(item, ctx) : page.actions };
  }

  function followUpsHere(tasks: readonly FollowUpTask[], asOf: string, offline: boolean): FollowUpDesk {
    const outcomes = new Map<string, FollowUpDesk['tasks'][number]['pendingOutcome']>();
    for (const act of pendingVocActs(db)) if (act.args.action === 'followUpOutcome') outcomes.set(act.args.id, act.args.outcome);
    return { tasks: tasks.map((t) => ({ ...t, pendingOutcome: outcomes.get(t.vocId) ?? null })), asOf, offline };
  }

  async function followUps(): Promise<FollowUpDesk> {
    const { answer, asOf, offline } = await ask('follow_ups', 'list', EVENTS.followUps, { limit: FOLLOW_UP_LIMIT }, FollowUpList, CALL_WORDS);
    return followUpsHere(answer.tasks, asOf, offline);
  }

  /** Asks the center to move or skip a task, then answers the list as it now stands. */
  async function changeFollowUp(event: string, request: unknown): Promise<FollowUpDesk> {
    try {
      await link.request(event, request, z.unknown());
    } catch (err) {
      throw desktopErrorFromCenter(err, CALL_WORDS);
    }
    return followUps();
  }

  /** What this desktop knows of an item: its last page, with the steps queued here applied. */
  function knownItem(id: string) {
    const kept = readCenterAnswer(db, 'voc_item', id);
    const page = kept ? VocItemPage.safeParse(kept.data) : null;
    return page?.success ? withPendingSteps(page.data.item, pendingVocActs(db), context()).item : null;
  }

  return {
    reference: () => ({ topics: listVocTopics(db), departments: listDepartments(db), queues: listQueues(db) }),

    async queue(request) {
      const { answer, asOf, offline } = await ask('voc_queue', queueKey(request), EVENTS.vocQueue, request, VocQueueResponse, DESK_WORDS);
      const acts = pendingVocActs(db);
      const ctx = context();
      const items = answer.items.map((entry) => {
        const { item, pendingSync } = withPendingSteps(entry, acts, ctx);
        return { ...item, pendingSync };
      });
      return { items, next: answer.next, overdueCount: answer.overdueCount, asOf, offline };
    },

    async item(id) {
      const { answer, asOf, offline } = await ask('voc_item', id, EVENTS.vocItem, { id }, VocItemPage, DESK_WORDS);
      return { ...pageHere(answer), asOf, offline };
    },

    act(args) {
      const self = opts.self();
      if (!self) throw new DesktopApiError('unauthenticated', 'Sign in before working on VOC items, so the step is recorded under your name.');
      const ctx = context();
      const item = knownItem(args.id);
      const department = item?.departmentId ? ctx.departments.get(item.departmentId) : undefined;
      const transition = { requiresApproval: department?.requiresApproval ?? false };
      if (item) {
        // The same table the center decides with: a step it would refuse is refused here, at once.
        const decision = decideVocAction(item, args.expectedStatus, args, deskActor(self, ctx.departments.values()), transition);
        if (!decision.ok) throw new DesktopApiError(decision.code, decision.message);
      }
      const mutationId = newMutationId();
      queueVocAct(db, args, { mutationId, now: now().toISOString(), customerId: item?.customerId ?? cachedVocCustomer(db, args.id) });
      opts.onLocalWrite();
      const status = nextStatus({ status: args.expectedStatus, departmentId: item?.departmentId ?? null, ownerUserId: item?.ownerUserId ?? null }, args, transition);
      return { mutationId, status };
    },

    followUps,

    async callFollowUp(id) {
      try {
        return await link.request(EVENTS.followUpCall, { id }, FollowUpCallResponse);
      } catch (err) {
        throw desktopErrorFromCenter(err, CALL_WORDS);
      }
    },

    rescheduleFollowUp: (request) => changeFollowUp(EVENTS.followUpReschedule, request),
    skipFollowUp: (request) => changeFollowUp(EVENTS.followUpSkip, request),
  };
}
