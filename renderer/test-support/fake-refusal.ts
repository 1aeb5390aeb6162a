// The error a FakeDesktopApi answer throws to answer with an error, as the desktop would.
/** Thrown by a built-in answer (or a `handle` override) to answer with an error, as the desktop would. */
export class FakeRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
