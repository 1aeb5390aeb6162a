// The typed listener-middleware surface every feature registers its side effects with.
import type { ThunkDispatch, TypedStartListening, UnknownAction } from '@reduxjs/toolkit';
import type { DesktopApi } from '../../shared/api/index';
import type { RootState } from './root-reducer';

/** Delays are settings so tests and the product agree on behaviour, not on the clock. */
export interface AppTiming {
  /** Quiet time after the last keystroke before a note is saved (the product promise: ≤ 300 ms). */
  noteSaveDelayMs: number;
  /** First retry delay after a failed save; doubles up to noteRetryMaxMs. */
  noteRetryBaseMs: number;
  noteRetryMaxMs: number;
  searchDelayMs: number;
  /** First retry delay when the desktop service does not answer at start-up. */
  startRetryBaseMs: number;
}

export const DEFAULT_TIMING: AppTiming = {
  noteSaveDelayMs: 250,
  noteRetryBaseMs: 1_000,
  noteRetryMaxMs: 15_000,
  searchDelayMs: 250,
  startRetryBaseMs: 500,
};

export interface AppExtra {
  api: DesktopApi;
  timing: AppTiming;
}

export type AppDispatch = ThunkDispatch<RootState, AppExtra, UnknownAction>;
export type AppStartListening = TypedStartListening<RootState, AppDispatch, AppExtra>;
