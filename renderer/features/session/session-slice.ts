// Who is signed in, and the sign-in form's progress.
import { createAction, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { ApiArgs, SessionInfo } from '../../../shared/api/index';

export type SessionStatus = 'checking' | 'unavailable' | 'signedOut' | 'signingIn' | 'signedIn';

export interface SessionState {
  status: SessionStatus;
  user: SessionInfo['user'];
  error: string | null;
  /** True from the center ending the session until the next sign-in: the form says why it is back. */
  ended: boolean;
}

/** The password travels in this action to the listener and is never stored in state. */
export const signInRequested = createAction<ApiArgs<'signIn'>[0]>('session/signInRequested');

const initialState: SessionState = { status: 'checking', user: null, error: null, ended: false };

const sessionSlice = createSlice({
  name: 'session',
  initialState,
  reducers: {
    sessionLoaded(state, action: PayloadAction<SessionInfo>) {
      state.user = action.payload.signedIn ? action.payload.user : null;
      state.status = action.payload.signedIn && action.payload.user ? 'signedIn' : 'signedOut';
      if (state.status === 'signedIn') {
        state.error = null;
        state.ended = false;
      }
    },
    /** The center ended the session while the agent was working (the desktop's `sessionEnded`). */
    sessionEnded(state) {
      state.status = 'signedOut';
      state.user = null;
      state.error = null;
      state.ended = true;
    },
    sessionUnavailable(state, action: PayloadAction<string>) {
      state.status = 'unavailable';
      state.error = action.payload;
    },
    signInFailed(state, action: PayloadAction<string>) {
      state.status = 'signedOut';
      state.error = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(signInRequested, (state) => {
      state.status = 'signingIn';
      state.error = null;
    });
  },
});

export const { sessionLoaded, sessionUnavailable, signInFailed, sessionEnded } = sessionSlice.actions;
export const sessionReducer = sessionSlice.reducer;

type WithSession = { session: SessionState };
export const selectSessionStatus = (s: WithSession) => s.session.status;
export const selectUser = (s: WithSession) => s.session.user;
export const selectSessionError = (s: WithSession) => s.session.error;
export const selectSessionEnded = (s: WithSession) => s.session.ended;
