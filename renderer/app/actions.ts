// App-wide lifecycle actions, and the DesktopApi events turned into actions slices can react to.
import { createAction } from '@reduxjs/toolkit';
import type { CurrentCall, EventPayload, SyncStatus } from '../../shared/api/index';

export const appStarted = createAction('app/started');
export const appStopped = createAction('app/stopped');
/** The transport to the desktop came back after a drop: re-read what events may have carried. */
export const desktopReconnected = createAction('app/desktopReconnected');

/** Events from the desktop, one action each, dispatched by the desktop-events listener. */
export const desktopEvent = {
  callOffered: createAction<EventPayload<'callOffered'>>('desktop/callOffered'),
  screenPopUpdated: createAction<EventPayload<'screenPopUpdated'>>('desktop/screenPopUpdated'),
  syncStatus: createAction<SyncStatus>('desktop/syncStatus'),
  noteSynced: createAction<EventPayload<'noteSynced'>>('desktop/noteSynced'),
  agentState: createAction<EventPayload<'agentState'>>('desktop/agentState'),
};

/** Answers to the start-up questions asked once signed in. */
export const currentCallLoaded = createAction<CurrentCall | null>('desktop/currentCallLoaded');
export const syncStatusLoaded = createAction<SyncStatus>('desktop/syncStatusLoaded');
