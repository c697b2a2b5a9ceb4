// What every bench entry leaves on the page: a promise for "ready to track", and a track
// call that sends one event carrying `bench_n` (the number the sink counts).
export interface BenchSdk {
  ready: Promise<unknown>;
  track: (n: number) => void;
}

export interface BenchConfig {
  /** Base URL of the sink (or collector) this SDK sends to, e.g. http://127.0.0.1:4000 */
  endpoint: string;
}

export const config = (): BenchConfig => (window as unknown as { __benchConfig: BenchConfig }).__benchConfig;

export const expose = (sdk: BenchSdk): void => {
  (window as unknown as { benchSdk: BenchSdk }).benchSdk = sdk;
};
