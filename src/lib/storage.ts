// Guarded localStorage for the few small values that must be read synchronously. Storage can
// throw (privacy modes, quota, sandboxed iframes): every access degrades to "nothing stored"
// instead of an exception in the host page. The keys, each with its one owner (`<name>` is the
// `name` option, "shoptrail" by default):
//   <name>.ids, <name>.session  the browser's ids and the session   src/identity.ts
//   <name>.consent              the shopper's decision               src/consent.ts
//   <name>.cap                  the session's billable count         src/guards/index.ts
//   <name>.account              a cache of the account's figures     src/guards/index.ts (owner: src/ledger.ts)
//   <name>.orders               order ids already counted            src/guards/duplicate.ts
//   <name>-retry-at             a Retry-After that outlives the page src/delivery.ts
//   shoptrail.worker            until when no sender worker is tried src/sender.ts
//   <queue>-spill-<tab>         events spilled on page hide          src/spill.ts
// Besides: sessionStorage <name>.search (src/capture/search.ts), and the IndexedDB databases
// <queue>-queue (src/queue.ts) and <name>-ledger (src/ledger.ts). `<queue>` is
// "<name> <endpoint> <writeKey> <entity>": one queue per configuration (src/tracker.ts).
export const readJson = <T>(key: string): T | undefined => {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
};

export const writeJson = (key: string, value: unknown): boolean => {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
};

export const removeKey = (key: string): void => {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing stored, nothing to remove
  }
};

/** Keys of localStorage that start with `prefix`. */
export const keysStartingWith = (prefix: string): string[] => {
  const keys: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
  } catch {
    // no storage: nothing spilled
  }
  return keys;
};
