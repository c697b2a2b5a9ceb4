// The guards of a tracker, in order, from its options. In `observe` mode a guard's verdict is
// reported to `observed` instead of dropping the event.
import type { AccountUsage } from '../protocol';
import type { Guard, TrackerCore } from '../tracker';
import type { AccountingOptions } from '../types';
import { allowance } from './allowance';
import { duplicate } from './duplicate';
import { rateLimit } from './rateLimit';
import { type SessionCount, sessionCap } from './sessionCap';

/** A positive number option, also from a script tag's string attribute; else undefined (the default). */
export const num = (value: unknown): number | undefined => +(value as number) || undefined;

export const guardsFor = (
  core: TrackerCore,
  account: () => AccountUsage | null | undefined,
  count: SessionCount,
  observed: (reason: string, event: Parameters<Guard>[0]) => void,
): Guard[] => {
  const o = core.options as AccountingOptions;
  const list = [
    duplicate(num(o.duplicateWindow), `${core.config.name}.orders`, () => core.consentState() == 'granted'),
    allowance(account, o.allowanceReserve),
    rateLimit(o.rateLimits),
    sessionCap(num(o.sessionCap), count),
  ];
  return o.guardMode == 'observe'
    ? list.map((guard) => (event, entry) => {
        const reason = guard(event, entry);
        if (reason) observed(reason, event);
        return undefined;
      })
    : list;
};
