// Who is signed in, the sign-in form's progress, and signing out.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { ApiArgs, SessionEndReason, SessionInfo, SignOutResult } from '../../../shared/api/index';

export type SessionStatus = 'checking' | 'unavailable' | 'signedOut' | 'signingIn' | 'signedIn';

/**
 * Signing out: idle (nothing asked), asking (the desktop is asked), changesWaiting (the desktop said
 * `pending` changes have not synced: the agent chooses), waiting (it signs out once they have).
 */
export interface SignOutState {
  phase: 'idle' | 'asking' | 'changesWaiting' | 'waiting';
  pending: number;
  error: string | null;
}

export interface SessionState {
  status: SessionStatus;
  user: SessionInfo['user'];
  error: string | null;
  /** Why the last session ended, until the next sign-in: the form says so. */
  endedBecause: SessionEndReason | null;
  signOut: SignOutState;
}

/** The password travels in this action to the listener and is never stored in state. */
export const signInRequested = createAction<ApiArgs<'signIn'>[0]>('session/signInRequested');
/** The agent asked to sign out (`ask` first; `wait` or `now` once told changes are waiting). */
export const signOutRequested = createAction<ApiArgs<'signOut'>[0]>('session/signOutRequested');

const noSignOut: SignOutState = { phase: 'idle', pending: 0, error: null };
const initialState: SessionState = { status: 'checking', user: null, error: null, endedBecause: null, signOut: noSignOut };

const sessionSlice = createSlice({
  name: 'session',
  initialState,
  reducers: {
    sessionLoaded(state, action: PayloadAction<SessionInfo>) {
      state.user = action.payload.signedIn ? action.payload.user : null;
      state.status = action.payload.signedIn && action.payload.user ? 'signedIn' : 'signedOut';
      if (state.status === 'signedIn') {
        state.error = null;
        state.endedBecause = null;
      } else {
        state.signOut = noSignOut;
      }
    },
    /** The session ended (the desktop's `sessionEnded`): the center ended it, the agent signed out, or the idle timeout. */
    sessionEnded(state, action: PayloadAction<SessionEndReason>) {
      state.status = 'signedOut';
      state.user = null;
      state.error = null;
      state.endedBecause = action.payload;
      state.signOut = noSignOut;
    },
    sessionUnavailable(state, action: PayloadAction<string>) {
      state.status = 'unavailable';
      state.error = action.payload;
    },
    signInFailed(state, action: PayloadAction<string>) {
      state.status = 'signedOut';
      state.error = action.payload;
    },
    signOutAnswered(state, action: PayloadAction<SignOutResult>) {
      const { outcome, pending } = action.payload;
      if (outcome === 'signedOut') return; // sessionEnded follows
      state.signOut = { phase: outcome, pending, error: null };
    },
    signOutFailed(state, action: PayloadAction<string>) {
      state.signOut = { ...noSignOut, error: action.payload };
    },
    /** The agent chose to stay signed in after being told changes are waiting. */
    signOutCancelled(state) {
      state.signOut = noSignOut;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(signInRequested, (state) => {
      state.status = 'signingIn';
      state.error = null;
    });
    builder.addCase(signOutRequested, (state) => {
      state.signOut = { ...state.signOut, phase: state.signOut.phase === 'waiting' ? 'waiting' : 'asking', error: null };
    });
  },
});

export const { sessionLoaded, sessionUnavailable, signInFailed, sessionEnded, signOutAnswered, signOutFailed, signOutCancelled } = sessionSlice.actions;
export const sessionReducer = sessionSlice.reducer;

type WithSession = { session: SessionState };
export const selectSessionStatus = (s: WithSession) => s.session.status;
export const selectUser = (s: WithSession) => s.session.user;
export const selectSessionError = (s: WithSession) => s.session.error;
export const selectSessionEndedBecause = (s: WithSession) => s.session.endedBecause;
export const selectSignOut = (s: WithSession) => s.session.signOut;
