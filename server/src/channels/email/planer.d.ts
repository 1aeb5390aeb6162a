// planer ships no types; this is the one function the folding uses (lib/planer.js).
declare module 'planer' {
  /** The reply part of a message body, without the quoted history ('text/plain' needs no DOM). */
  export function extractFrom(body: string, contentType: 'text/plain'): string;
  const planer: { extractFrom: typeof extractFrom };
  export default planer;
}
