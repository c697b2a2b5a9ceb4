// A counting semaphore that never queues: a request either gets a slot now or is turned away
// (503 with Retry-After) before its body is read. Queuing would only move the pile-up into
// memory; the browser's queue is the buffer.

export interface Gate {
  /** A release function when a slot is free (calling it twice frees one slot), else undefined. */
  tryEnter(): (() => void) | undefined;
  readonly inFlight: number;
}

export const createGate = (max: number): Gate => {
  let inFlight = 0;
  return {
    tryEnter() {
      if (inFlight >= max) return undefined;
      inFlight++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight--;
      };
    },
    get inFlight() {
      return inFlight;
    },
  };
};

/** Enter every gate or none. */
export const enterAll = (gates: Gate[]): (() => void) | undefined => {
  const releases: Array<() => void> = [];
  for (const gate of gates) {
    const release = gate.tryEnter();
    if (!release) {
      for (const r of releases) r();
      return undefined;
    }
    releases.push(release);
  }
  return () => releases.forEach((r) => r());
};
