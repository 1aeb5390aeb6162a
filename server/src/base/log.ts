// What the center's log may say about an error. Logs never carry personal data (names, numbers,
// note text): an error's message is cut short and its row data is never read.

/** What we log about an error: its class, SQLSTATE and message, never row data. */
export function errSummary(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 200) };
  const code = (err as { code?: unknown }).code;
  return { type: err.name, code: typeof code === 'string' ? code : undefined, message: err.message.slice(0, 300), stack: err.stack };
}
