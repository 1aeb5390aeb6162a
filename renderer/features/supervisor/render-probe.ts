// A hook for tests to count row renders (the once-a-second update must not re-render unchanged rows).
export const renderProbe: { onRow: ((kind: 'queue' | 'channels' | 'agent', id: string) => void) | null } = { onRow: null };
