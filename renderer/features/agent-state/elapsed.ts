// Time in a state, counting up from the center's timestamp (never a countdown: DOMAIN.md).
import { useEffect, useState } from 'react';

/** 0:07, 12:45, 1:02:03. A clock skewed ahead of the center shows 0:00, not a negative time. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

/** Seconds since `since` (ISO time), re-rendering once a second; null without a start. */
export function useElapsedSeconds(since: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!since) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  if (!since) return null;
  return Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
}
