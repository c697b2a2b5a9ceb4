// One tab at a time flushes the shared queue. Web Locks give that across tabs and release on
// their own when a tab dies (no timer-based reclaim, which duplicated events by the thousands
// in localstorage-retry #27). Without Web Locks every tab may flush; the collector's dedupe by
// event id keeps the stored result exact, so this is slower but still correct.
export const withLock = async <T>(name: string, wait: boolean, fn: () => Promise<T>): Promise<T | undefined> => {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks?.request) return fn();
  return locks.request(name, { ifAvailable: !wait }, (lock) => (lock ? fn() : undefined)) as Promise<T | undefined>;
};
