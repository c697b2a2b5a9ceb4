// Options: defaults, bounds and checks, and reading them from the script tag's data-*
// attributes. Every option of the tracker and of its default plugins (delivery, accounting,
// capture) is resolved here, so a bad value is reported the same way wherever it is read.
import type { TrackerOptions } from './types';

/** Defined (true) in the script-tag build only. */
declare const __SCRIPT_TAG__: boolean | undefined;

export type Config = Required<Omit<TrackerOptions, 'endpoint' | 'writeKey'>> & {
  endpoint: string;
  writeKey: string;
};

export const defaults: Config = {
  endpoint: '',
  writeKey: '',
  entity: '-',
  name: 'shoptrail',
  flushAt: 20,
  flushInterval: 5000,
  maxBatchEvents: 100,
  maxQueueEvents: 10000,
  maxQueueAgeHours: 24 * 7,
  sessionTimeout: 30,
  requireConsent: false,
  consentPlatform: '',
  respectGpc: true,
  respectDnt: false,
  allowAutomation: false,
  gzip: true,
  debug: false,
  capture: true,
  capturePages: true,
  captureHash: false,
  captureSearch: true,
  captureProducts: true,
  captureCart: true,
  capturePurchases: true,
  captureForms: true,
  captureContent: true,
  captureLinks: true,
  captureVitals: true,
  identifyByEmail: false,
  allowance: 0,
  cycleStartDay: 1,
  timeZone: 'UTC',
  guardMode: 'enforce',
  rateLimits: {},
  sessionCap: 500,
  duplicateWindow: 1000,
  allowanceReserve: {},
};

/** The type of a core option ("number" …), or undefined for any other key (also `toString` …). */
const kindOf = (key: string) => (Object.prototype.hasOwnProperty.call(defaults, key) ? typeof defaults[key as keyof Config] : undefined);

const bounds: Partial<Record<keyof Config, [number, number]>> = {
  flushAt: [1, 500],
  flushInterval: [250, 3_600_000],
  maxBatchEvents: [1, 500],
  maxQueueEvents: [10, 100_000],
  maxQueueAgeHours: [1, 24 * 90],
  sessionTimeout: [1, 24 * 60],
  allowance: [0, 1e12],
  cycleStartDay: [1, 31],
  sessionCap: [1, 1e6],
  duplicateWindow: [0, 3_600_000],
};

/**
 * What a type alone does not say (a check may throw). Checked when the ledger starts — in the
 * background chunk for the script tag, whose shoptrail.js cannot spare the bytes — and reported
 * then; meanwhile each value is safe as it is: a guardMode other than "observe" enforces, a
 * malformed limit or reserve never drops, and the ledger counts days in UTC.
 */
const checks: Partial<Record<keyof Config, (value: any) => unknown>> = {
  guardMode: (value) => value == 'enforce' || value == 'observe',
  timeZone: (value) => new Intl.DateTimeFormat('en', { timeZone: value }),
  rateLimits: (value) => Object.values(value).every((l: any) => l.perMinute >= 0 && l.burst >= 0),
  allowanceReserve: (value) => Object.values(value).every((share: any) => share >= 0 && share <= 1),
};

/** Run the checks, reporting each option that fails; returns their names. */
export const checkConfig = (config: Config, warn: (message: string) => void): string[] =>
  Object.entries(checks)
    .filter(([key, check]) => {
      try {
        return !check(config[key as keyof Config]);
      } catch {
        return true;
      }
    })
    .map(([key]) => (warn(`option "${key}" is not valid`), key));

/**
 * Merge options over the defaults. Unknown keys and values of the wrong type are ignored
 * (and reported through `warn`) rather than thrown: a typo in a store's snippet must not
 * break the page.
 */
export const resolveConfig = (options: unknown, warn: (message: string) => void = () => {}): Config => {
  const config = { ...defaults };
  if (options == null) return config;
  // The script tag always passes an object (src/script.ts): only the npm entry can be given anything else.
  if (typeof __SCRIPT_TAG__ == 'undefined' && typeof options !== 'object') {
    warn(`options must be an object, got ${typeof options}`);
    return config;
  }
  for (let [key, value] of Object.entries(options as Record<string, unknown>)) {
    const kind = kindOf(key);
    if (!kind) continue; // a key of the host's own, or a typo: nothing reads it
    // "15" from the npm entry; the script tag's attributes are numbers already (optionsFromAttributes).
    if (typeof __SCRIPT_TAG__ == 'undefined' && kind === 'number' && typeof value === 'string' && value.trim()) value = +value;
    if (typeof value !== kind || (kind === 'number' && !Number.isFinite(value))) {
      warn(`option "${key}" must be a${kind === 'object' ? 'n' : ''} ${kind}`);
      continue;
    }
    const range = bounds[key as keyof Config];
    (config as Record<string, unknown>)[key] = range ? Math.min(range[1], Math.max(range[0], value as number)) : value;
  }
  config.endpoint = config.endpoint.replace(/\/+$/, '');
  if (!/^[\w.-]{1,100}$/.test(config.entity)) {
    warn(`entity "${config.entity}" is not a valid name; using "-"`);
    config.entity = '-';
  }
  return config;
};

/**
 * Options from a script tag: `data-write-key="pk_…"` becomes `writeKey`, `data-flush-at="10"`
 * becomes the number 10, `data-require-consent` (present, "true", "on") becomes true. Other
 * attributes are returned as strings for the modules that know them (`capture-forms`).
 */
export const optionsFromAttributes = (element: Element): Record<string, unknown> => {
  const options: Record<string, unknown> = {};
  for (const { name, value: raw } of Array.from(element.attributes)) {
    if (!name.startsWith('data-')) continue;
    const key = name.slice(5).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const kind = kindOf(key);
    if (kind === 'number') {
      const n = Number(raw);
      if (raw.trim() !== '' && Number.isFinite(n)) options[key] = n;
    } else if (kind === 'boolean') {
      if (/^(|true|1|yes|on)$/i.test(raw)) options[key] = true;
      else if (/^(false|0|no|off)$/i.test(raw)) options[key] = false;
    } else {
      options[key] = raw;
    }
  }
  return options;
};
