// The desktop's outgoing events to the renderer (DesktopApi events), as a small typed hub.
import type { DesktopApiEvent, EventPayload } from '../../shared/api/index';

export interface EventHub {
  on<E extends DesktopApiEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  emit<E extends DesktopApiEvent>(event: E, payload: EventPayload<E>): void;
}

export function createEventHub(onListenerError?: (event: DesktopApiEvent, err: unknown) => void): EventHub {
  const listeners = new Map<DesktopApiEvent, Set<(payload: never) => void>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          // A broken listener (say, a closed window) must not stop the others or the service.
          (listener as (p: typeof payload) => void)(payload);
        } catch (err) {
          onListenerError?.(event, err);
        }
      }
    },
  };
}
