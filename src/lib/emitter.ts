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
  // Copied on write, never in place: emit walks the list it started with (a listener added or
  // removed meanwhile waits for the next emit) without copying it on every emit.
  const listeners = new Map<keyof Events, Listener<never>[]>();
  const off: Emitter<Events>['off'] = (name, fn) => {
    const list = listeners.get(name);
    if (list)
      listeners.set(
        name,
        list.filter((f) => f !== fn),
      );
  };
  return {
    on(name, fn) {
      const list = listeners.get(name) ?? [];
      if (!list.includes(fn as Listener<never>)) listeners.set(name, [...list, fn as Listener<never>]);
      return () => off(name, fn);
    },
    off,
    emit(name, payload) {
      const list = listeners.get(name);
      if (!list) return;
      for (let i = 0; i < list.length; i++) {
        const fn = list[i] as Listener<typeof payload>; // called bare: a listener's `this` stays undefined
        try {
          fn(payload);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
    has: (name) => !!listeners.get(name)?.length,
  };
};
