// A tiny typed event emitter. A listener that throws is isolated: the others still run and
// nothing reaches the page that called the tracker.
export type Listener<T> = (payload: T) => void;

export interface Emitter<Events> {
  on<K extends keyof Events>(name: K, fn: Listener<Events[K]>): () => void;
  off<K extends keyof Events>(name: K, fn: Listener<Events[K]>): void;
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
  /** Whether anyone listens, so callers can skip building payloads nobody reads. */
  has<K extends keyof Events>(name: K): boolean;
}

export const createEmitter = <Events>(onListenerError?: (error: unknown) => void): Emitter<Events> => {
  const listeners = new Map<keyof Events, Set<Listener<never>>>();
  const off: Emitter<Events>['off'] = (name, fn) => {
    listeners.get(name)?.delete(fn as Listener<never>);
  };
  return {
    on(name, fn) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(fn as Listener<never>);
      return () => off(name, fn);
    },
    off,
    emit(name, payload) {
      const set = listeners.get(name);
      if (!set) return;
      for (const fn of [...set]) {
        try {
          (fn as Listener<typeof payload>)(payload);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
    has: (name) => !!listeners.get(name)?.size,
  };
};
