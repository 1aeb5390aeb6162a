// `earshot://customer/<id>` links (from a CRM, an email, a wallboard): parsed and validated here,
// in a pure module, before the shell acts on one. Anything else is refused, not guessed at.
import { Uuid } from '../../shared/domain/entities';

export const DEEP_LINK_SCHEME = 'earshot:';

export type DeepLink = { kind: 'customer'; customerId: string };

export function parseDeepLink(raw: unknown): DeepLink | null {
  if (typeof raw !== 'string' || raw.length > 512) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== DEEP_LINK_SCHEME || url.username || url.password || url.port) return null;
  // earshot://customer/<id>: the host is the kind, the single path segment the id.
  const segments = url.pathname.split('/').filter(Boolean);
  if (url.hostname !== 'customer' || segments.length !== 1) return null;
  const id = Uuid.safeParse(decodeURIComponent(segments[0]!).toLowerCase());
  return id.success ? { kind: 'customer', customerId: id.data } : null;
}

/** The first valid deep link on a command line (Windows and Linux pass it as an argument). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(DEEP_LINK_SCHEME)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return null;
}
