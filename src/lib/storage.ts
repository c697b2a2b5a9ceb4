// Guarded localStorage for the few small values that must be read synchronously at start-up
// (ids and session). Storage can throw (privacy modes, quota, sandboxed iframes): every access
// degrades to "nothing stored" instead of an exception in the host page.
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
