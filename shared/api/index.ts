// The DesktopApi contract: what the renderer may ask of the desktop, and the events it hears.
// One definition serves the Electron preload bridge (IPC) and the web-mode bridge (WebSocket);
// both parse arguments with these schemas before any service runs.
import { z } from 'zod';
import { IsoTime, NOTE_MAX_CHARS, Role, ScreenPop, Uuid, VocItem, VocType } from '../domain/entities';
import { CallOffered, RejectedMutation } from '../protocol/index';

export const SessionInfo = z.object({
  signedIn: z.boolean(),
  centerUrl: z.string(),
  user: z
    .object({ id: Uuid, tenant: z.string(), username: z.string(), displayName: z.string(), role: Role })
    .nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SyncState = z.enum(['online', 'offline', 'syncing', 'update_required']);
export type SyncState = z.infer<typeof SyncState>;
export const SyncStatus = z.object({
  state: SyncState,
  /** Local changes not yet acknowledged by the center. */
  pending: z.number().int().nonnegative(),
  lastSyncAt: IsoTime.nullable(),
  lastError: z.string().nullable(),
  rejected: z.array(RejectedMutation.extend({ name: z.string(), rejectedAt: IsoTime })),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const CustomerSummary = z.object({
  id: Uuid,
  displayName: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});
export type CustomerSummary = z.infer<typeof CustomerSummary>;

export const SavedNote = z.object({
  id: Uuid,
  revision: z.number().int().positive(),
  savedAt: IsoTime,
  /** false until the center has acknowledged this revision. */
  synced: z.boolean(),
});
export type SavedNote = z.infer<typeof SavedNote>;

/** The call the agent is on (or was last offered), with the pop as last known. */
export const CurrentCall = z.object({ call: CallOffered, pop: ScreenPop.nullable() });
export type CurrentCall = z.infer<typeof CurrentCall>;

const noArgs = z.tuple([]);

/** Methods: each takes a tuple of arguments and resolves to `result`. */
export const desktopApiMethods = {
  getSession: { args: noArgs, result: SessionInfo },
  signIn: {
    args: z.tuple([
      z.object({
        tenant: z.string().min(1).max(64),
        username: z.string().min(1).max(64),
        password: z.string().min(1).max(256),
      }),
    ]),
    result: SessionInfo,
  },
  getSyncStatus: { args: noArgs, result: SyncStatus },
  getCurrentCall: { args: noArgs, result: CurrentCall.nullable() },
  /** Local cache first; the center's fresher answer arrives as a `screenPopUpdated` event. */
  lookupCaller: { args: z.tuple([z.object({ phone: z.string().min(1).max(64) })]), result: ScreenPop.nullable() },
  searchCustomers: { args: z.tuple([z.object({ query: z.string().min(1).max(200) })]), result: z.array(CustomerSummary) },
  /** Saves the whole text of a note (creating it on first save); debounced by the renderer. */
  saveNote: {
    args: z.tuple([
      z.object({
        id: Uuid,
        customerId: Uuid,
        interactionId: Uuid.nullable(),
        text: z.string().max(NOTE_MAX_CHARS),
      }),
    ]),
    result: SavedNote,
  },
  createVocItem: {
    args: z.tuple([
      z.object({
        id: Uuid,
        customerId: Uuid,
        interactionId: Uuid.nullable(),
        type: VocType,
        topic: z.string().max(120),
        description: z.string().max(1000),
      }),
    ]),
    result: VocItem,
  },
} as const;

export type DesktopApiMethod = keyof typeof desktopApiMethods;
export type ApiArgs<M extends DesktopApiMethod> = z.infer<(typeof desktopApiMethods)[M]['args']>;
export type ApiResult<M extends DesktopApiMethod> = z.infer<(typeof desktopApiMethods)[M]['result']>;

/** Events the desktop sends to the renderer. */
export const desktopApiEvents = {
  /** A call is offered: `pop` is the local cache's answer (null when the caller is not cached). */
  callOffered: z.object({ call: CallOffered, pop: ScreenPop.nullable() }),
  /** The center's answer for a popped call arrived (null: the center does not know the caller either). */
  screenPopUpdated: z.object({ interactionId: Uuid, pop: ScreenPop.nullable() }),
  syncStatus: SyncStatus,
  noteSynced: z.object({ id: Uuid, revision: z.number().int().positive() }),
  /** The shell was asked to show a customer (an `earshot://customer/<id>` link from another app). */
  openCustomer: z.object({ customerId: Uuid }),
} as const;
export type DesktopApiEvent = keyof typeof desktopApiEvents;
export type EventPayload<E extends DesktopApiEvent> = z.infer<(typeof desktopApiEvents)[E]>;

export const ApiError = z.object({ code: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;
/** What every method call resolves to across IPC and the web bridge. */
export type ApiResponse<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The shape the renderer sees as `window.earshot`. */
export interface DesktopApi {
  invoke<M extends DesktopApiMethod>(method: M, ...args: ApiArgs<M>): Promise<ApiResponse<ApiResult<M>>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends DesktopApiEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** What main/services implements: one function per method, already-validated arguments in. */
export type DesktopApiHandlers = {
  [M in DesktopApiMethod]: (...args: ApiArgs<M>) => Promise<ApiResult<M>>;
};
