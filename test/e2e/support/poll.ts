// Wait for a condition by polling it with a deadline: never a fixed sleep.
export interface WaitOptions {
  timeout?: number;
  interval?: number;
  message?: string;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Resolve with the first truthy value `fn` returns; throw `message` when `timeout` ms pass first. */
export const waitFor = async <T>(fn: () => T | Promise<T>, { timeout = 15_000, interval = 50, message }: WaitOptions = {}): Promise<Truthy<T>> => {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as Truthy<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error; // a read that fails now (a locked file, a page navigating) may work soon
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${message ?? 'condition not met'} within ${timeout} ms${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
};
